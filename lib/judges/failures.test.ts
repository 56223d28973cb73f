import { describe, expect, it } from "vitest";
import { backoffDelay, errorBodyMessage, failureForStatus, failureForThrown, parseRetryAfter, retryDelay } from "./failures";

describe("HTTP statuses", () => {
  it.each([
    [429, "rate_limited", true],
    [408, "timeout", true],
    [500, "server_error", true],
    [502, "server_error", true],
    [503, "server_error", true],
    [504, "server_error", true],
    [501, "http_error", false],
    [400, "http_error", false],
    [404, "not_found", false],
    [405, "not_found", false],
    [307, "not_found", false],
    [422, "http_error", false],
    [401, "auth", false],
    [403, "auth", false],
  ])("%i -> %s (retry: %s)", (status, kind, retryable) => {
    expect(failureForStatus(status, "", null)).toMatchObject({ kind, retryable });
  });

  it("keeps the server's message", () => {
    expect(failureForStatus(404, "The model `x` does not exist.", null).message).toBe("HTTP 404: The model `x` does not exist.");
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  it.each([
    ["3", 3000],
    ["0", 0],
    ["Fri, 27 Nov 2026 12:00:05 GMT", 5000],
    ["Fri, 27 Nov 2026 11:00:00 GMT", 0], // in the past: go now
    ["soon", null],
    ["", null],
    [null, null],
  ])("%j -> %s ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it("is honoured instead of the backoff, up to 5 minutes", () => {
    const failure = failureForStatus(429, "", "2", now);
    expect(retryDelay(failure, 0, 500, 30_000, () => 0.5)).toBe(2000);
    expect(retryDelay(failureForStatus(503, "", "3600", now), 0, 500, 30_000)).toBe(300_000);
  });
});

describe("exponential backoff with full jitter", () => {
  it("draws uniformly below min(cap, base * 2^attempt)", () => {
    expect(backoffDelay(0, 500, 30_000, () => 0.999999)).toBe(499);
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(2000); // 0.5 * 4000
    expect(backoffDelay(10, 500, 30_000, () => 0.5)).toBe(15_000); // capped at 30 s
    expect(backoffDelay(2, 500, 30_000, () => 0)).toBe(0);
  });
});

describe("thrown errors", () => {
  it("a timeout", () => {
    expect(failureForThrown(new DOMException("The operation was aborted due to timeout", "TimeoutError"), 2000)).toMatchObject({ kind: "timeout", message: "no reply within 2000 ms", retryable: true });
  });
  it("a dropped connection (Node's socket hang up)", () => {
    const error = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(failureForThrown(error, 2000)).toMatchObject({ kind: "connection", message: "connection failed (ECONNRESET: socket hang up)", retryable: true });
  });
  it("a refused connection", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    expect(failureForThrown(error, 2000).message).toBe("connection failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)");
  });
  it("a dropped connection (undici's 'fetch failed' with the socket error as cause)", () => {
    const error = new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    expect(failureForThrown(error, 2000)).toMatchObject({ kind: "connection", message: "connection failed (UND_ERR_SOCKET: other side closed)", retryable: true });
  });
});

describe("error bodies", () => {
  it.each([
    ['{"error":{"message":"bad top_logprobs","type":"BadRequestError","param":null,"code":400}}', "bad top_logprobs"],
    ['{"object":"error","message":"old vLLM","type":"BadRequestError","param":null,"code":400}', "old vLLM"],
    ['{"error":"Input validation error","error_type":"validation"}', "Input validation error"],
    ["<html>Bad Gateway</html>", "<html>Bad Gateway</html>"],
  ])("%s -> %s", (text, message) => {
    expect(errorBodyMessage(text)).toBe(message);
  });
});
