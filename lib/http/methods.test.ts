import { describe, expect, it } from "vitest";
import { otherMethods } from "./methods";

describe("otherMethods", () => {
  it("answers every method a route lacks with a JSON 405 and the Allow header, and OPTIONS with 204", async () => {
    const handlers = otherMethods("GET", "PATCH");
    expect(Object.keys(handlers).sort()).toEqual(["DELETE", "OPTIONS", "POST", "PUT"]);
    const response = handlers.DELETE(new Request("http://studio.test/api/v1/runs/3", { method: "DELETE" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PATCH, HEAD, OPTIONS");
    expect(await response.json()).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: "DELETE is not taken by /api/v1/runs/3: it takes GET or PATCH." } });
    const options = handlers.OPTIONS(new Request("http://studio.test/api/v1/runs/3", { method: "OPTIONS" }));
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, PATCH, HEAD, OPTIONS");
  });

  it("names no HEAD for a route without GET", () => {
    const response = otherMethods("POST").GET(new Request("http://studio.test/api/v1/reward"));
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
  });
});
