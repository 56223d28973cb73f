// The reward endpoint's work against a real database and the judge simulator (a test double in
// vLLM's format): rewards as the judge says, every item recorded with its step, Eq. 5
// normalisation, the final-step option, nothing recorded when the judge is down, backpressure,
// and API tokens.
import { setJudgeArchived } from "@/lib/judges/archive";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { simJudge } from "@/tests/runs";
import { simulatedVerdict, startJudgeSimulator, type TSimulator } from "@/scripts/judge-simulator/simulator";
import { createJudge } from "@/lib/judges/manage";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/users/create";
import { authenticateToken, createToken, revokeToken } from "@/lib/tokens/tokens";
import { judgeColumns } from "@/lib/judgments/queries";
import { Admission } from "./admission";
import { parseRewardBody, type TRewardRequest } from "./protocol";
import { judgeRewardBatch, rewardState, type TRewardCaller } from "./service";

vi.setConfig({ testTimeout: 60_000 });

const prisma = testDb();
let sims: TSimulator[] = [];
async function sim(options: Parameters<typeof startJudgeSimulator>[0] = {}) {
  const s = await startJudgeSimulator({ errorRate: 0, ...options });
  sims.push(s);
  return s;
}
const caller: TRewardCaller = { userId: null, tokenId: null, tokenDefaults: {} };
const chatml = (q: string) => `<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

/** k responses to each of `questions`: the even ones right, the odd ones wrong. */
function batch(questions: number, k: number, extra: Record<string, unknown> = {}): TRewardRequest {
  const query: string[] = [];
  const prompts: string[] = [];
  const labels: string[] = [];
  for (let q = 0; q < questions; q++) {
    for (let s = 0; s < k; s++) {
      const prompt = chatml(`Question ${q}: which city?`);
      prompts.push(prompt);
      query.push(`${prompt}Thinking.\nThe answer is ${s % 2 === 0 ? `city ${q}` : "nowhere"}.<|im_end|>`);
      labels.push(`city ${q}`);
    }
  }
  return parseRewardBody({ query, prompts, labels, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

beforeEach(async () => {
  await resetDb();
  rewardState().admission = new Admission(8192);
  rewardState().judges.clear(); // ids restart with every test's database
});
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});
afterAll(() => prisma.$disconnect());

describe("judgeRewardBatch", () => {
  it("answers the protocol with the judge's verdicts and records every item with its step", async () => {
    const s = await sim();
    const judgeId = await simJudge(prisma, s.url, { concurrency: 4 });
    const request = batch(3, 4, { judge: judgeId, run: "grpo-run-1", model: "policy-7b", step: 1 });
    const answer = await judgeRewardBatch(prisma, request, [], caller, "grpo-run-1");

    // The simulator (errorRate 0) says YES exactly when the final step contains the reference.
    expect(answer.rewards).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect(answer.scores).toEqual(answer.rewards);
    expect(answer.extra_logs.judge_yes).toEqual(answer.rewards);
    expect(answer.extra_logs.judge_unparseable).toEqual(new Array(12).fill(0));
    expect(answer.studio).toMatchObject({ dataset: "grpo-run-1", step: 1 });
    expect(answer.studio.timings.judge_ms).toBeGreaterThanOrEqual(0);
    expect(s.stats().maxInFlight).toBeLessThanOrEqual(4);

    const dataset = await prisma.dataset.findUniqueOrThrow({ where: { name: "grpo-run-1" } });
    const questions = await prisma.question.findMany({ where: { datasetId: dataset.id }, orderBy: { id: "asc" } });
    expect(questions.map((q) => [q.text, q.reference])).toEqual([0, 1, 2].map((q) => [`Question ${q}: which city?`, `city ${q}`]));
    expect(questions[0]!.metadata).toEqual({ prompt: chatml("Question 0: which city?") });
    const responses = await prisma.response.findMany({ where: { datasetId: dataset.id }, orderBy: { id: "asc" }, include: { judgments: true } });
    expect(responses).toHaveLength(12);
    expect(responses.map((r) => r.sampleIndex)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    expect(responses[0]).toMatchObject({ text: "Thinking.\nThe answer is city 0.", finalStep: "The answer is city 0.", policyModel: "policy-7b", metadata: { step: 1, reward_request: answer.studio.requestId } });
    for (const [i, r] of responses.entries()) {
      expect(r.judgments).toHaveLength(1);
      const j = r.judgments[0]!;
      expect(j.verdict).toBe(answer.rewards[i] === 1 ? "YES" : "NO");
      expect(j.pYes).not.toBeNull();
      expect(j.softReward).not.toBeNull();
      expect(j.runId).toBeNull();
    }
    const request0 = await prisma.rewardRequest.findUniqueOrThrow({ where: { id: answer.studio.requestId } });
    expect(request0).toMatchObject({ step: 1, size: 12, meanReward: 0.5, judgeId, templateVersion: "paper-v1" });
    expect(request0.latencyMs).toBeGreaterThan(0);

    // Without a step the request is recorded without one (the dataset's page numbers requests
    // by arrival); requests of one run sent at once are all recorded.
    const [second, third] = await Promise.all([
      judgeRewardBatch(prisma, batch(1, 2, { judge: judgeId }), [], caller, "grpo-run-1"),
      judgeRewardBatch(prisma, batch(1, 2, { judge: judgeId, step: 40 }), [], caller, "grpo-run-1"),
    ]);
    expect(second.studio.step).toBeNull();
    expect(third.studio.step).toBe(40);
    expect(await prisma.rewardRequest.findMany({ where: { datasetId: dataset.id }, select: { step: true, size: true }, orderBy: { step: "asc" } })).toEqual([
      { step: 1, size: 12 },
      { step: 40, size: 2 },
      { step: null, size: 2 },
    ]);
    const unstepped = await prisma.response.findFirstOrThrow({ where: { datasetId: dataset.id, metadata: { equals: { reward_request: second.studio.requestId } } } });
    expect(unstepped.metadata).toEqual({ reward_request: second.studio.requestId });
    // The judge is one of the dataset's judges: the judgments list and the analytics show it.
    expect((await judgeColumns(dataset.id)).map((c) => c.id)).toEqual([judgeId]);
    // The same question in a later request is the same question row.
    expect(await prisma.question.count({ where: { datasetId: dataset.id } })).toBe(3);
  });

  it("gives soft rewards, normalised over the batch (Eq. 5) or per prompt group", async () => {
    const s = await sim({ errorRate: 0.3, seed: 5 });
    const judgeId = await simJudge(prisma, s.url);
    const soft = await judgeRewardBatch(prisma, batch(2, 4, { judge: judgeId, reward: "soft" }), [], caller, "soft-run");
    const judgments = await prisma.judgment.findMany({ where: { judgeId }, orderBy: { responseId: "asc" } });
    expect(soft.scores).toEqual(judgments.map((j) => j.softReward));
    expect(soft.rewards).toEqual(soft.scores);

    const normalized = await judgeRewardBatch(prisma, batch(2, 4, { judge: judgeId, reward: "soft", normalize: "batch" }), [], caller, "soft-run");
    // Same prompts, same simulator: same scores. Eq. 5 by a second method: mean and sample std by hand.
    expect(normalized.scores).toEqual(soft.scores);
    const mean = soft.scores.reduce((a, b) => a + b, 0) / 8;
    const std = Math.sqrt(soft.scores.reduce((a, b) => a + (b - mean) ** 2, 0) / 7);
    normalized.rewards.forEach((r, i) => expect(r).toBeCloseTo((soft.scores[i]! - mean) / std, 10));

    const grouped = await judgeRewardBatch(prisma, batch(2, 4, { judge: judgeId, reward: "soft", normalize: "group" }), [], caller, "soft-run");
    for (const g of [0, 1]) {
      const part = grouped.rewards.slice(g * 4, g * 4 + 4);
      expect(part.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    }
  });

  it("sends the whole response when asked, under a template version of its own", async () => {
    const s = await sim();
    const judgeId = await simJudge(prisma, s.url);
    const answer = await judgeRewardBatch(prisma, batch(1, 1, { judge: judgeId, final_step: false }), [], caller, "whole");
    expect(answer.studio.template_version).toBe("paper-v1+whole-response");
    const sent = JSON.stringify(s.stats().lastBodies.at(-1));
    expect(sent).toContain("Thinking.\\nThe answer is city 0.");
    const j = await prisma.judgment.findFirstOrThrow({ where: { judgeId } });
    expect(j.templateVersion).toBe("paper-v1+whole-response");
    // What the simulator saw for the final step decides its verdict; by its own rule:
    expect(simulatedVerdict("**Solution Process (Final Step Only):** Thinking.", 1, 0).verdict).toBe("NO");
  });

  it("records after judging, in one transaction, where the database runs one at a time (the embedded one)", async () => {
    const s = await sim();
    const judgeId = await simJudge(prisma, s.url);
    process.env.STUDIO_EMBEDDED = "1";
    try {
      const answer = await judgeRewardBatch(prisma, batch(2, 2, { judge: judgeId }), [], caller, "sequential");
      expect(answer.rewards).toEqual([1, 0, 1, 0]);
    } finally {
      delete process.env.STUDIO_EMBEDDED;
    }
    expect(await prisma.judgment.count({ where: { judgeId } })).toBe(4);
  });

  it("judges with a rule judge in-process", async () => {
    const judge = await createJudge(prisma, { kind: "rule_based", name: "contains", settings: { rule: "containment" } }, null);
    const answer = await judgeRewardBatch(prisma, batch(1, 2, { judge: "contains" }), [], caller, "rule-run");
    expect(answer.rewards).toEqual([1, 0]);
    expect(await prisma.judgment.count({ where: { judgeId: judge.id } })).toBe(2);
  });

  it("answers 503 with the reason and records nothing when the judge endpoint is down", async () => {
    const s = await sim();
    const judgeId = await simJudge(prisma, s.url, { retries: 1, retryBaseMs: 10, timeoutMs: 1000 });
    await s.close();
    sims = [];
    const error = await failure(judgeRewardBatch(prisma, batch(2, 2, { judge: judgeId }), [], caller, "down-run"));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/could not judge 4 of 4 items \(connection: .*\); nothing was recorded/);
    expect(await prisma.dataset.count({ where: { name: "down-run" } })).toBe(0);
    expect(await prisma.response.count()).toBe(0);
    expect(await prisma.judgment.count()).toBe(0);
    expect(await prisma.rewardRequest.count()).toBe(0);
    expect(rewardState().admission.inFlight).toBe(0);
  });

  it("refuses an unknown judge (404) and a request naming none (422)", async () => {
    expect((await failure(judgeRewardBatch(prisma, batch(1, 1, { judge: "no-such-judge" }), [], caller, "r"))).status).toBe(404);
    expect((await failure(judgeRewardBatch(prisma, batch(1, 1), [], caller, "r"))).status).toBe(422);
  });

  it("refuses to write into a dataset that was not recorded by the reward endpoint", async () => {
    const s = await sim();
    const judgeId = await simJudge(prisma, s.url);
    const d = await prisma.dataset.create({ data: { name: "curated" } });
    await prisma.question.create({ data: { datasetId: d.id, key: "k", text: "q", reference: "r" } });
    const error = await failure(judgeRewardBatch(prisma, batch(1, 1, { judge: judgeId }), [], caller, "curated"));
    expect(error.status).toBe(409);
    expect(await prisma.response.count()).toBe(0);
    // nor into a new dataset whose name differs from that one's only in case
    const twin = await failure(judgeRewardBatch(prisma, batch(1, 1, { judge: judgeId }), [], caller, "Curated"));
    expect(twin.status).toBe(409);
    expect(twin.message).toContain('run: a dataset named "curated" exists');
    expect(await prisma.dataset.count()).toBe(1);
  });

  it("pushes back with 429 and a Retry-After when too many items are being judged", async () => {
    const s = await sim({ latencyMs: 300 });
    const judgeId = await simJudge(prisma, s.url, { concurrency: 64 });
    rewardState().admission = new Admission(10);
    const first = judgeRewardBatch(prisma, batch(2, 4, { judge: judgeId }), [], caller, "busy");
    await new Promise((r) => setTimeout(r, 50));
    const error = await failure(judgeRewardBatch(prisma, batch(1, 4, { judge: judgeId }), [], caller, "busy"));
    expect(error.status).toBe(429);
    expect((error.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await first;
    // Once the first batch is done, the same batch is admitted.
    const again = await judgeRewardBatch(prisma, batch(1, 4, { judge: judgeId }), [], caller, "busy");
    expect(again.rewards).toHaveLength(4);
  });
});

describe("API tokens", () => {
  it("authenticate with their scopes, record their last use, and stop working when revoked", async () => {
    const admin = await createUser(prisma, { name: "Ada", email: "ada@example.org", password: "a-long-password-1", role: "admin" }, null);
    // The default judge must exist and be in use: a token naming another would have every call refused.
    await expect(createToken(prisma, { name: "trainer", scopes: ["reward"], rewardDefaults: { judge: "RM-7B" } }, admin.id)).rejects.toThrow('no judge "RM-7B"');
    const rm = await createJudge(prisma, { kind: "rule_based", name: "RM-7B", settings: { rule: "containment" } }, null);
    await setJudgeArchived(prisma, rm!.id, true, null);
    await expect(createToken(prisma, { name: "trainer", scopes: ["reward"], rewardDefaults: { judge: "RM-7B" } }, admin.id)).rejects.toThrow('judge "RM-7B" is archived');
    await setJudgeArchived(prisma, rm!.id, false, null);
    expect(await prisma.apiToken.count()).toBe(0);
    const created = await createToken(prisma, { name: "trainer", scopes: ["reward"], rewardDefaults: { judge: "RM-7B", reward: "soft" } }, admin.id);
    expect(created.token).toMatch(/^rlvr_[A-Za-z0-9_-]{43}$/);
    const stored = await prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).not.toContain(created.token.slice(5));
    expect(stored.prefix).toBe(created.token.slice(0, 11));

    const principal = await authenticateToken(prisma, created.token);
    expect(principal).toMatchObject({ tokenId: created.id, scopes: ["reward"], rewardDefaults: { judge: "RM-7B", reward: "soft" }, user: { id: admin.id, role: "admin" } });
    await vi.waitFor(async () => expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull());

    expect((await failure(authenticateToken(prisma, created.token.slice(0, -1) + (created.token.endsWith("A") ? "B" : "A")))).status).toBe(401);
    expect((await failure(authenticateToken(prisma, "not-a-token"))).status).toBe(401);
    await revokeToken(prisma, created.id, admin.id);
    expect((await failure(authenticateToken(prisma, created.token))).status).toBe(401);
    expect(await prisma.auditEvent.count({ where: { entity: "api_token" } })).toBe(2);
  });
});
