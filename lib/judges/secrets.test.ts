import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secrets";

const secret = "a".repeat(32);

describe("stored API keys", () => {
  it("round-trips and never stores the key in clear", () => {
    const payload = encryptSecret("sk-live-123", secret);
    expect(payload).not.toContain("sk-live-123");
    expect(payload.startsWith("v1.")).toBe(true);
    expect(decryptSecret(payload, secret)).toBe("sk-live-123");
  });

  it("encrypts the same key differently each time (random IV)", () => {
    expect(encryptSecret("k", secret)).not.toBe(encryptSecret("k", secret));
  });

  it("refuses another AUTH_SECRET and a tampered payload", () => {
    const payload = encryptSecret("sk-live-123", secret);
    expect(() => decryptSecret(payload, "b".repeat(32))).toThrow(/AUTH_SECRET differs/);
    const [v, iv, tag, body] = payload.split(".");
    const flipped = body!.slice(0, -2) + (body!.endsWith("A") ? "BB" : "AA");
    expect(() => decryptSecret([v, iv, tag, flipped].join("."), secret)).toThrow();
    expect(() => decryptSecret("plain-text", secret)).toThrow(/not an encrypted secret/);
  });
});
