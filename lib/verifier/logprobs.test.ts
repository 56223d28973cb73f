import { describe, expect, it } from "vitest";
import { verdictOfToken, verdictPosition, yesNoProbabilities, type TPosition } from "./logprobs";
import { judgeOutcome } from "./outcome";

const ln = Math.log;
const position = (top: [string, number][], sampled?: [string, number]): TPosition => ({
  token: sampled?.[0] ?? null,
  logprob: sampled ? ln(sampled[1]) : null,
  top: top.map(([token, p]) => ({ token, logprob: ln(p) })),
});

describe("verdictOfToken: which tokens spell YES or NO", () => {
  it.each([
    ["YES", "YES"],
    ["Yes", "YES"],
    ["yes", "YES"],
    [" YES", "YES"],
    [" yes", "YES"],
    ["\nYes", "YES"],
    ["Yes\n", "YES"],
    ["\u0120Yes", "YES"], // byte-level BPE raw token for " Yes" (GPT-2, Qwen, Llama 3 vocabularies)
    ["\u010aYES", "YES"], // byte-level BPE newline + YES
    ["\u2581Yes", "YES"], // SentencePiece "▁Yes"
    ["NO", "NO"],
    [" No", "NO"],
    ["\u2581NO", "NO"],
    ["no", "NO"],
  ])("%j -> %s", (token, verdict) => {
    expect(verdictOfToken(token)).toBe(verdict);
  });

  it.each(["Y", "YE", "ES", "Yes.", "Yes,", "**", "'", "**YES", "Nope", "Not", "None", "yesno", "", " ", "token_id:9454", "\ufffd"])(
    "%j spells neither",
    (token) => {
      expect(verdictOfToken(token)).toBeNull();
    },
  );
});

describe("yesNoProbabilities: summing variants", () => {
  it("sums every variant of each word (0.5 + 0.2 + 0.1 and 0.1 + 0.05)", () => {
    const p = yesNoProbabilities(position([["YES", 0.5], ["Yes", 0.2], [" yes", 0.1], ["NO", 0.1], [" No", 0.05], ["Maybe", 0.05]]));
    expect(p.pYes).toBeCloseTo(0.8, 12);
    expect(p.pNo).toBeCloseTo(0.15, 12);
    expect(p.yesTokens).toEqual(["YES", "Yes", " yes"]);
    expect(p.noTokens).toEqual(["NO", " No"]);
  });

  it("counts the sampled token when the top list leaves it out", () => {
    const p = yesNoProbabilities(position([], ["YES", 0.9]));
    expect(p.pYes).toBeCloseTo(0.9, 12);
    expect(p.pNo).toBe(0);
  });

  it("does not count the sampled token twice when the list repeats it", () => {
    expect(yesNoProbabilities(position([["NO", 0.7], ["YES", 0.2]], ["NO", 0.7])).pNo).toBeCloseTo(0.7, 12);
  });

  it("counts two distinct token ids that spell the same word", () => {
    const p = yesNoProbabilities({
      token: "Yes",
      logprob: ln(0.4),
      top: [
        { id: 9454, token: "Yes", logprob: ln(0.4) },
        { id: 85, token: "Yes", logprob: ln(0.1) },
        { id: 2753, token: "No", logprob: ln(0.3) },
      ],
    });
    expect(p.pYes).toBeCloseTo(0.5, 12);
  });

  it("treats vLLM's -9999 placeholder and llama.cpp's lowest float as probability 0", () => {
    const p = yesNoProbabilities({ token: null, logprob: null, top: [{ token: "YES", logprob: -9999 }, { token: "NO", logprob: -3.4028234663852886e38 }] });
    expect(p.pYes).toBe(0);
    expect(p.pNo).toBe(0);
  });

  it("skips entries without a number", () => {
    const p = yesNoProbabilities({ token: null, logprob: null, top: [{ token: "YES", logprob: Number.NaN }, { token: "NO", logprob: ln(0.25) }] });
    expect(p).toMatchObject({ pYes: 0, pNo: 0.25 });
  });

  it("caps a sum that float32 rounding pushed past 1", () => {
    expect(yesNoProbabilities(position([["YES", 0.9999999], ["Yes", 0.0000002]])).pYes).toBe(1);
  });
});

describe("the verdict position", () => {
  const positions: TPosition[] = [position([["**", 0.9], ["YES", 0.1]], ["**", 0.9]), position([["YES", 0.7], ["NO", 0.3]], ["YES", 0.7])];

  it("is the first generated token by default (the paper's definition)", () => {
    expect(verdictPosition(positions, "first")).toBe(positions[0]);
  });
  it("can be the first token that spells a verdict", () => {
    expect(verdictPosition(positions, "first_verdict")).toBe(positions[1]);
  });
  it("falls back to the first token when none spells a verdict", () => {
    expect(verdictPosition([positions[0]!], "first_verdict")).toBe(positions[0]);
  });

  it("markup before the verdict: first token gives 0.1 for YES, the verdict token 0.7 / (0.7 + 0.3)", () => {
    const reply = { text: "**YES**", positions };
    const first = judgeOutcome(reply, { verdictMode: "strict", logprobToken: "first", softReward: "renormalized" });
    expect(first.verdict).toBe("YES");
    expect(first.pYes).toBeCloseTo(0.1, 12);
    expect(first.renormalized).toBeCloseTo(1, 12); // P(NO) 0 among the listed tokens
    const verdictToken = judgeOutcome(reply, { verdictMode: "strict", logprobToken: "first_verdict", softReward: "renormalized" });
    expect(verdictToken.softReward).toBeCloseTo(0.7, 12);
  });

  it("a first token that spells neither word gives null probabilities, not 0", () => {
    const reply = { text: "<think>ok</think>YES", positions: [position([["<think>", 0.99], ["I", 0.01]], ["<think>", 0.99])] };
    const outcome = judgeOutcome(reply, { verdictMode: "strict", logprobToken: "first", softReward: "eq4" });
    expect(outcome).toMatchObject({ verdict: "YES", pYes: null, pNo: null, softReward: null });
    expect(outcome.topLogprobs).toHaveLength(2);
  });
});
