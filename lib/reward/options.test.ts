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
    // A wrong value is told with the values it may take, not the validator's "Invalid input"
    // (the API answers "<path>: <message>", lib/http/route.ts).
    const issue = (query: string) => {
      try {
        optionsFromSearch(new URLSearchParams(query));
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    };
    // Named as the trainer wrote them, each said once.
    expect(issue("reward=maybe")).toBe('reward: must be "binary" or "soft"');
    expect(issue("normalize=grop")).toBe('normalize: must be "none", "batch", "group", true (batch) or false (none)');
    expect(issue("final_step=maybe")).toBe("final_step: must be true or false");
  });
});
