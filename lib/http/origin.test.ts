import { describe, expect, it } from "vitest";
import { isCrossOrigin } from "./origin";

const request = (method: string, headers: Record<string, string>) => new Request("http://localhost:3000/api/v1/runs", { method, headers });

describe("isCrossOrigin", () => {
  it("lets the studio's own pages and clients without a browser through", () => {
    expect(isCrossOrigin(request("POST", { host: "localhost:3000", origin: "http://localhost:3000" }))).toBe(false);
    expect(isCrossOrigin(request("POST", { host: "localhost:3000" }))).toBe(false); // curl, scripts
    expect(isCrossOrigin(request("POST", { host: "internal:3000", "x-forwarded-host": "studio.example.org", origin: "https://studio.example.org" }))).toBe(false);
    expect(isCrossOrigin(request("GET", { host: "localhost:3000", origin: "http://evil.example" }))).toBe(false); // reads change nothing
  });

  it("refuses a change sent by a page of another origin, even of the same site", () => {
    expect(isCrossOrigin(request("POST", { host: "localhost:3000", origin: "http://localhost:8080" }))).toBe(true); // another port
    expect(isCrossOrigin(request("PUT", { host: "studio.example.org", origin: "https://blog.example.org" }))).toBe(true); // a sibling subdomain
    expect(isCrossOrigin(request("DELETE", { host: "localhost:3000", origin: "null" }))).toBe(true); // a sandboxed frame
    expect(isCrossOrigin(request("PATCH", { host: "localhost:3000", "sec-fetch-site": "cross-site" }))).toBe(true);
  });
});
