import { describe, expect, it } from "vitest";
import { optionsFromSearch, resolveOptions } from "./options";

describe("reward options", () => {
  it("takes the request's option over the query's over the token's, and defaults the rest", () => {
    const r = resolveOptions([{ reward: "soft" }, { judge: "A", reward: "binary", normalize: "group" }, { judge: "B", finalStep: false }]);
    expect(r).toEqual({ ok: true, options: { judge: "A", reward: "soft", normalize: "group", finalStep: false } });
    expect(resolveOptions([{}, { judge: 3 }])).toEqual({ ok: true, options: { judge: 3, reward: "binary", normalize: "none", finalStep: null } });
  });

  it("needs a judge somewhere", () => {
    expect(resolveOptions([{}, { reward: "soft" }])).toMatchObject({ ok: false, message: expect.stringMatching(/^judge: /) });
  });

  it("reads query parameters", () => {
    expect(optionsFromSearch(new URLSearchParams("judge=7&reward=soft&normalize=true&final_step=false"))).toEqual({ judge: 7, reward: "soft", normalize: "batch", finalStep: false });
    expect(() => optionsFromSearch(new URLSearchParams("reward=maybe"))).toThrow();
  });
});
