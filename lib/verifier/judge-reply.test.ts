// Protocol conformance: every server's reply shape gives the same verdict, P(YES), P(NO) and
// soft rewards. Expected values are sums of the probabilities written into each fixture
// (./fixtures/SOURCES.md; each logprob there is ln(p) of a round p).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isReplyProblem, readReply, type TApi, type TJudgeReply } from "./judge-reply";
import { judgeOutcome } from "./outcome";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8"));

function read(api: TApi, name: string): TJudgeReply {
  const reply = readReply(api, fixture(name));
  if (isReplyProblem(reply)) throw new Error(reply.message);
  return reply;
}

const options = { verdictMode: "strict", logprobToken: "first", softReward: "eq4" } as const;

describe("server reply shapes", () => {
  it.each([
    // file, api, verdict, P(YES), P(NO), prompt tokens, completion tokens
    ["vllm-chat.json", "chat", "YES", 0.6 + 0.1 + 0.05, 0.2 + 0.04, 412, 2],
    ["vllm-completions.json", "completions", "NO", 0.2 + 0.01, 0.7 + 0.05 + 0.03, 380, 1],
    ["openai-chat.json", "chat", "NO", 0.06 + 0.01, 0.9 + 0.02, 398, 1],
    ["openai-completions.json", "completions", "YES", 0.5 + 0.3, 0.1, 401, 1],
    ["tgi-chat.json", "chat", "YES", 0.85 + 0.05 + 0.01, 0.08, 405, 2],
    // the sampled token repeats the first top entry (same id): counted once
    ["llamacpp-chat.json", "chat", "YES", 0.55 + 0.15, 0.2 + 0.05, 380, 2],
    ["llamacpp-completions.json", "completions", "NO", 0.3, 0.6 + 0.1, 377, 1],
    ["llamacpp-chat-post-sampling.json", "chat", "YES", 0.8 + 0.05, 0.15, 380, 2],
    ["sglang-chat-reasoning.json", "chat", "NO", 0.03, 0.95, 420, 35],
  ] as const)("%s (%s)", (file, api, verdict, pYes, pNo, promptTokens, completionTokens) => {
    const reply = read(api, file);
    expect(reply.promptTokens).toBe(promptTokens);
    expect(reply.completionTokens).toBe(completionTokens);
    const outcome = judgeOutcome(reply, options);
    expect(outcome.verdict).toBe(verdict);
    expect(outcome.pYes).toBeCloseTo(pYes, 9);
    expect(outcome.pNo).toBeCloseTo(pNo, 9);
    // Eq. 4: P(YES) for YES, 1 - P(NO) for NO; renormalised: P(YES) / (P(YES) + P(NO)).
    expect(outcome.eq4).toBeCloseTo(verdict === "YES" ? pYes : 1 - pNo, 9);
    expect(outcome.renormalized).toBeCloseTo(pYes / (pYes + pNo), 9);
    expect(outcome.softReward).toBe(outcome.eq4);
  });

  it("keeps a reasoning model's separate reasoning", () => {
    expect(read("chat", "sglang-chat-reasoning.json").reasoning).toBe("The reference is 42; the final step says 41.");
  });

  it("the renormalised setting picks the renormalised reward", () => {
    const outcome = judgeOutcome(read("chat", "vllm-chat.json"), { ...options, softReward: "renormalized" });
    expect(outcome.softReward).toBeCloseTo(0.75 / 0.99, 12);
  });
});

describe("replies that are not usable", () => {
  it.each([
    [{ choices: [] }, "empty_choices"],
    [{ object: "error", message: "boom" }, "malformed_response"],
    ["not an object", "malformed_response"],
    [{ choices: [{ index: 0 }] }, "malformed_response"],
    [{ choices: ["x"] }, "malformed_response"],
  ])("%j -> %s", (body, kind) => {
    const reply = readReply("chat", body);
    expect(isReplyProblem(reply) && reply.kind).toBe(kind);
  });

  it("a chat reply whose content is null reads as empty text (then unparseable)", () => {
    const reply = readReply("chat", { choices: [{ index: 0, message: { role: "assistant", content: null } }] });
    expect(isReplyProblem(reply)).toBe(false);
    expect(judgeOutcome(reply as TJudgeReply, options)).toMatchObject({ verdict: "UNPARSEABLE", reason: "empty reply", softReward: null });
  });
});

describe("missing log-probabilities give null, never 0", () => {
  it.each([
    ["logprobs null", { logprobs: null }],
    ["no logprobs field", {}],
    ["empty content list", { logprobs: { content: [] } }],
    ["content null", { logprobs: { content: null } }],
  ])("%s", (_, extra) => {
    const reply = readReply("chat", { choices: [{ index: 0, message: { role: "assistant", content: "YES" }, ...extra }] });
    const outcome = judgeOutcome(reply as TJudgeReply, options);
    expect(outcome).toMatchObject({ verdict: "YES", pYes: null, pNo: null, eq4: null, renormalized: null, softReward: null });
  });

  it("legacy completions without log-probabilities", () => {
    const reply = readReply("completions", { choices: [{ index: 0, text: "NO", logprobs: null }] });
    expect(judgeOutcome(reply as TJudgeReply, options)).toMatchObject({ verdict: "NO", pNo: null, softReward: null });
  });
});
