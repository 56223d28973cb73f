import { describe, expect, it } from "vitest";
import { localPath } from "./local-path";

describe("localPath", () => {
  it("keeps this site's paths with their query", () => {
    expect(localPath("/datasets/3/judgments?subject=law&cursor=12", "/x")).toBe("/datasets/3/judgments?subject=law&cursor=12");
    expect(localPath(["/review", "/admin"], "/x")).toBe("/review");
  });

  it("refuses other sites however they are spelled", () => {
    // "/\\evil.example" is what a browser reads as "//evil.example": the bypass of a starts-with-"/" test.
    for (const bad of ["//evil.example/a", "/\\evil.example", "/\\/evil.example", "https://evil.example", "javascript:alert(1)", "evil.example", "/\t/evil.example", "\\\\evil.example"]) {
      expect(localPath(bad, "/datasets"), bad).toBe("/datasets");
    }
    // what the browser resolves them to, for the record
    expect(new URL("/\\evil.example", "https://studio.example").host).toBe("evil.example");
  });

  it("refuses paths whose dot segments collapse into another site's address", () => {
    // Each resolves to the path "//evil.example/x", which a redirect or link then sends to evil.example.
    for (const bad of ["/..//evil.example/x", "/.//evil.example/x", "/%2e%2e//evil.example/x", "/%2E//evil.example/x", "/a/../..//evil.example/x"]) {
      expect(new URL(bad, "http://studio.invalid").pathname, bad).toBe("//evil.example/x");
      expect(localPath(bad, "/datasets"), bad).toBe("/datasets");
    }
    // dot segments that stay on this site are resolved, as the browser would
    expect(localPath("/review/../datasets/3", "/x")).toBe("/datasets/3");
  });

  it("falls back on nothing", () => {
    expect(localPath(undefined, "/datasets")).toBe("/datasets");
    expect(localPath("", "/datasets")).toBe("/datasets");
    expect(localPath([], "/datasets")).toBe("/datasets");
  });
});
