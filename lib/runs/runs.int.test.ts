// Runs end to end against a real database, in-process workers and the judge simulator (a test
// double in vLLM's format): every item judged exactly once with soft rewards, idempotent
// re-runs, errors recorded and the run going on, the endpoint limit across workers, pause,
// resume, cancel, and judges that cannot be called.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { resetQueue, seedDataset, simJudge, startWorker, waitFor, waitForRun } from "@/tests/runs";
import { simulatedVerdict, startJudgeSimulator, type TSimulator } from "@/scripts/judge-simulator/simulator";
import { createJudge, setJudgeTemplate, updateJudge } from "@/lib/judges/manage";
import { buildPrompt, BUILTIN_TEMPLATES, createTemplateVersion } from "@/lib/judges/templates";
import { ruleJudge, DEFAULT_RULE_SETTINGS } from "@/lib/verifier/rule-judges";
import { controlRun } from "./control";
import { createRuns } from "./create-run";
import { runChoices } from "./queries";
import { runProgress } from "./progress";
import type { RunWorker } from "./worker";

// Real workers, HTTP and a database on a shared machine: generous time.
vi.setConfig({ testTimeout: 180_000 });

const prisma = testDb();
const databaseUrl = () => inject("databaseUrl");
let workers: RunWorker[] = [];
let sims: TSimulator[] = [];

async function sim(options: Parameters<typeof startJudgeSimulator>[0] = {}) {
  const s = await startJudgeSimulator(options);
  sims.push(s);
  return s;
}
async function worker(options: Parameters<typeof startWorker>[2] = {}) {
  const w = await startWorker(prisma, databaseUrl(), options);
  workers.push(w);
  return w;
}
const judgmentsOf = (judgeId: number) => prisma.judgment.findMany({ where: { judgeId }, orderBy: { responseId: "asc" } });

beforeEach(async () => {
  await resetDb();
  await resetQueue(prisma);
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all(sims.map((s) => s.close()));
  workers = [];
  sims = [];
});
afterAll(() => prisma.$disconnect());

describe("a run", () => {
  it("judges every item exactly once, with the simulator's verdicts and soft rewards", async () => {
    const s = await sim({ seed: 5, errorRate: 0.1 });
    const datasetId = await seedDataset(prisma, 300);
    const judgeId = await simJudge(prisma, s.url, { concurrency: 8 });
    await worker();
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 40 });
    expect(run).toMatchObject({ total: 300, skipped: 0, status: "queued" });
    const done = await waitForRun(prisma, run!.id);
    expect(done).toMatchObject({ total: 300, done: 300, failed: 0, skipped: 0, status: "completed" });
    expect(done.startedAt).not.toBeNull();
    expect(Number(done.completionTokens)).toBe(300); // the simulator reports one token per reply

    const judgments = await judgmentsOf(judgeId);
    expect(judgments).toHaveLength(300);
    expect(new Set(judgments.map((j) => j.responseId)).size).toBe(300);
    // Each verdict is the simulator's for that exact prompt (a second method: the simulator's rule).
    const responses = await prisma.response.findMany({ where: { datasetId }, select: { id: true, text: true, question: { select: { text: true, reference: true } } } });
    const byId = new Map(responses.map((r) => [r.id, r]));
    for (const j of judgments) {
      const r = byId.get(j.responseId)!;
      const prompt = buildPrompt(BUILTIN_TEMPLATES[0]!, { question: r.question.text, reference: r.question.reference, response: r.text }, "chat");
      expect(j.verdict).toBe(simulatedVerdict(prompt.messages[0]!.content, 5, 0.1).verdict);
      expect(j.promptHash).toBe(prompt.hash);
      expect(j.pYes).not.toBeNull();
      expect(j.softReward).toBeCloseTo(j.verdict === "YES" ? j.pYes! : 1 - j.pNo!, 12);
      expect(j).toMatchObject({ runId: run!.id, templateVersion: "paper-v1", sample: 0, error: null });
    }
    // The chunks are all finished and no worker holds a slot afterwards.
    expect(await prisma.judgeRunChunk.count({ where: { runId: run!.id, finishedAt: null } })).toBe(0);
  });

  it("says when the endpoint answers verdicts without log-probabilities (no soft reward), and only then", async () => {
    const { runProgress, SOFTLESS_SAMPLE } = await import("./progress");
    const datasetId = await seedDataset(prisma, 60);
    const plain = await sim({ seed: 3, errorRate: 0 });
    const deaf = await sim({ seed: 3, errorRate: 0, ignoreLogprobs: true });
    const judged = await simJudge(prisma, plain.url, {}, "with logprobs");
    const softless = await simJudge(prisma, deaf.url, {}, "without logprobs");
    const asksNone = await simJudge(prisma, deaf.url, { topLogprobs: 0 }, "asks for none");
    await worker();
    const runs = await createRuns(prisma, { datasetId, judgeIds: [judged, softless, asksNone], source: "cli" }, null, { chunkSize: 20 });
    const progress = async (i: number) => runProgress(prisma, (await waitForRun(prisma, runs[i]!.id)).id);
    expect((await progress(0))!.softless).toEqual({ latest: 60, noLogprobs: 0, offPosition: 0 });
    expect((await progress(1))!.softless).toEqual({ latest: Math.min(60, SOFTLESS_SAMPLE), noLogprobs: 60, offPosition: 0 });
    expect((await progress(2))!.softless).toBeNull(); // asked for none: nothing to warn of
    expect(await prisma.judgment.count({ where: { judgeId: softless, softReward: null, verdict: { in: ["YES", "NO"] } } })).toBe(60);
    // Log-probabilities that came, for a position without YES or NO among its alternatives (as a
    // thinking block before the verdict gives): told apart from none at all.
    await prisma.$executeRaw`UPDATE judgments SET soft_reward = NULL, p_yes = NULL, p_no = NULL WHERE run_id = ${runs[0]!.id} AND response_id IN (SELECT response_id FROM judgments WHERE run_id = ${runs[0]!.id} ORDER BY response_id LIMIT 7)`;
    expect((await runProgress(prisma, runs[0]!.id))!.softless).toEqual({ latest: 60, noLogprobs: 0, offPosition: 7 });
  });

  it("re-running skips what exists; forcing judges again in place (one judgment per item)", async () => {
    const s = await sim();
    const datasetId = await seedDataset(prisma, 60);
    const judgeId = await simJudge(prisma, s.url);
    await worker();
    const [first] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 25 });
    await waitForRun(prisma, first!.id);

    const [again] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    expect(again).toMatchObject({ total: 0, skipped: 60, status: "completed" });

    const before = s.stats().completions;
    const [forced] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli", force: true }, null, { chunkSize: 25 });
    expect(forced).toMatchObject({ total: 60, skipped: 0 });
    await waitForRun(prisma, forced!.id);
    expect(s.stats().completions - before).toBe(60);
    const judgments = await judgmentsOf(judgeId);
    expect(judgments).toHaveLength(60);
    expect(judgments.every((j) => j.runId === forced!.id)).toBe(true);
  });

  it("takes k samples per item at the judge's temperature: every sample is a judgment, a re-run adds only the samples missing, and the flip rate is the simulator's", async () => {
    const s = await sim({ seed: 5, errorRate: 0.1 });
    const datasetId = await seedDataset(prisma, 60);
    const judgeId = await simJudge(prisma, s.url, { temperature: 1 }, "sampled");
    const greedy = await simJudge(prisma, s.url, {}, "greedy");
    const rule = (await createJudge(prisma, { kind: "rule_based", name: "contains", settings: { rule: "containment" } }, null))!.id;
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], samples: 3, source: "cli" }, null, { chunkSize: 30 });
    // Judgments, not items: 60 x 3, in chunks of 10 items.
    expect(run).toMatchObject({ total: 180, skipped: 0, status: "queued" });
    expect(await prisma.judgeRunChunk.count({ where: { runId: run!.id } })).toBe(6);
    expect(await waitForRun(prisma, run!.id)).toMatchObject({ total: 180, done: 180, failed: 0, skipped: 0, samples: 3, status: "completed" });
    const judgments = await judgmentsOf(judgeId);
    expect(judgments).toHaveLength(180);

    // The samples are the simulator's draws for their prompt (a second method: the simulator's
    // own rule). It numbers the requests of one prompt, and responses with the same text share a
    // prompt: the verdicts of each prompt's items together are its draws 1 to n, in whatever
    // order the requests went.
    const responses = await prisma.response.findMany({ where: { datasetId }, select: { id: true, text: true, question: { select: { text: true, reference: true } } } });
    const byPrompt = new Map<string, string[]>();
    let flipped = 0;
    for (const r of responses) {
      const mine = judgments.filter((j) => j.responseId === r.id);
      expect(mine.map((j) => j.sample).sort()).toEqual([0, 1, 2]);
      if (new Set(mine.map((j) => j.verdict)).size > 1) flipped++;
      const prompt = buildPrompt(BUILTIN_TEMPLATES[0]!, { question: r.question.text, reference: r.question.reference, response: r.text }, "chat").messages[0]!.content;
      byPrompt.set(prompt, [...(byPrompt.get(prompt) ?? []), ...mine.map((j) => j.verdict!)]);
    }
    for (const [prompt, verdicts] of byPrompt) {
      const draws = verdicts.map((_, n) => simulatedVerdict(prompt, 5, 0.1, { temperature: 1, draw: String(n + 1) }).verdict);
      expect(verdicts.sort()).toEqual(draws.sort());
    }
    expect(flipped).toBeGreaterThan(0); // the seed gives some unsure items
    const { consistencyOf } = await import("@/lib/stats/consistency-queries");
    const [consistency] = await prisma.$transaction((tx) => consistencyOf(tx, datasetId, [{ id: judgeId, templateVersion: "paper-v1" }]));
    expect(consistency).toMatchObject({ items: 60, flipped, flipRate: flipped / 60, maxSamples: 3 });

    // Again with 3: nothing to do. With 4: the fourth sample of each item only.
    const [again] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], samples: 3, source: "cli" }, null);
    expect(again).toMatchObject({ total: 0, skipped: 180, status: "completed" });
    const [fourth] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], samples: 4, source: "cli" }, null);
    expect(fourth).toMatchObject({ total: 60, skipped: 180 });
    await waitForRun(prisma, fourth!.id);
    expect(await prisma.judgment.count({ where: { judgeId, sample: 3 } })).toBe(60);
    expect(await prisma.judgment.count({ where: { judgeId } })).toBe(240);

    // A judge that answers alike every time is refused several samples, and the form is told why.
    await expect(createRuns(prisma, { datasetId, judgeIds: [greedy], samples: 2, source: "cli" }, null)).rejects.toThrow(
      "greedy samples at temperature 0, so its samples would be one answer repeated: set its temperature above 0 (in its settings) to measure self-consistency",
    );
    await expect(createRuns(prisma, { datasetId, judgeIds: [rule], samples: 2, source: "cli" }, null)).rejects.toThrow(
      "contains is a rule: it gives the same verdict every time, so it is judged once per item (samples: 1)",
    );
    await expect(createRuns(prisma, { datasetId, judgeIds: [judgeId], samples: 17, source: "cli" }, null)).rejects.toThrow("samples: at most 16");
    const choices = (await runChoices()).judges;
    expect(choices.find((j) => j.id === judgeId)!.samplesProblem).toBeNull();
    expect(choices.find((j) => j.id === greedy)!.samplesProblem).toMatch(/^greedy samples at temperature 0/);
    expect(choices.find((j) => j.id === rule)!.samplesProblem).toMatch(/^contains is a rule/);
  });

  it("records an item's error after the last retry and goes on; a re-run judges only the failed items", async () => {
    // 60% of requests fail: an item fails when its three attempts all do (0.6^3, about one in
    // five), never ten in a row (which would stop the run: below).
    const broken = await sim({ faultRate: 0.6, faults: ["500"] });
    const datasetId = await seedDataset(prisma, 40);
    const judgeId = await simJudge(prisma, broken.url, { retries: 2 });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 15 });
    const done = await waitForRun(prisma, run!.id);
    const failed = (await judgmentsOf(judgeId)).filter((j) => j.verdict === null);
    expect(done).toMatchObject({ status: "completed", total: 40, done: 40 - failed.length, failed: failed.length });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((j) => j.errorKind === "server_error" && j.attempts === 3)).toBe(true);
    expect(failed[0]!.error).toMatch(/^HTTP 500: The engine failed on this request\. \(after 3 attempts\)$/);

    // Point the judge at a healthy endpoint: the re-run takes the failed items, nothing else.
    const healthy = await sim();
    await prisma.judge.update({ where: { id: judgeId }, data: { settings: { baseUrl: healthy.url, model: "sim-judge" } } });
    const [rerun] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    expect(rerun).toMatchObject({ total: failed.length, skipped: 40 - failed.length });
    await waitForRun(prisma, rerun!.id);
    const fixed = await judgmentsOf(judgeId);
    expect(fixed).toHaveLength(40);
    expect(fixed.every((j) => j.verdict !== null && j.error === null)).toBe(true);
    expect(fixed.filter((j) => j.runId === rerun!.id).map((j) => j.responseId)).toEqual(failed.map((j) => j.responseId));
  });

  it("shows calls waiting to be retried while they wait, with the reason, before any item fails", async () => {
    // Every request gets a 429 asking to wait 5 s (Retry-After, honoured as it is, no jitter):
    // nothing is recorded for seconds, and the run's progress says why.
    const limited = await sim({ faultRate: 1, faults: ["429"], retryAfterSeconds: 5 });
    const datasetId = await seedDataset(prisma, 6);
    const judgeId = await simJudge(prisma, limited.url, { retries: 1, concurrency: 3 });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    const progress = await waitFor("calls waiting to be retried", async () => {
      const p = await runProgress(prisma, run!.id);
      return p?.calls && p.calls.waiting > 0 ? p : null;
    });
    expect(progress.done + progress.failed).toBe(0);
    expect(progress.calls!.last).toMatchObject({ kind: "rate_limited", message: expect.stringMatching(/^HTTP 429: /), waitMs: 5_000 });
    expect(progress.calls!.retried).toBeGreaterThanOrEqual(progress.calls!.waiting);
    await controlRun(prisma, run!.id, "pause", null);
    await waitForRun(prisma, run!.id, ["paused"]);
    // A run that is not running reports none.
    expect((await runProgress(prisma, run!.id))!.calls).toBeNull();
  });

  it("shows requests out for long while the endpoint is slow to answer", async () => {
    const slow = await sim({ faultRate: 1, faults: ["slow"], slowMs: 6_000 });
    const datasetId = await seedDataset(prisma, 3);
    const judgeId = await simJudge(prisma, slow.url, { timeoutMs: 30_000 });
    await worker({ slowCallMs: 500 });
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    const progress = await waitFor("slow requests", async () => {
      const p = await runProgress(prisma, run!.id);
      return p?.calls && p.calls.slow > 0 ? p : null;
    });
    expect(progress.done + progress.failed).toBe(0);
    expect(progress.calls).toMatchObject({ waiting: 0, retried: 0, last: null });
    expect(progress.calls!.oldestMs).toBeGreaterThan(500);
    // Their replies in, nothing is reported any more.
    const done = await waitForRun(prisma, run!.id);
    expect(done).toMatchObject({ done: 3, failed: 0 });
  });

  it("an endpoint that answered and then goes away does not stop the run: its failures are recorded, to judge again", async () => {
    const s = await sim({ latencyMs: 20 });
    const datasetId = await seedDataset(prisma, 120);
    const judgeId = await simJudge(prisma, s.url, { retries: 1, concurrency: 2 });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 30 });
    await waitFor("some judgments", async () => (await prisma.judgment.count({ where: { judgeId, verdict: { not: null } } })) >= 10);
    await s.close();
    const done = await waitForRun(prisma, run!.id, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", error: null });
    expect(done.failed).toBeGreaterThanOrEqual(10);
    expect(done.done + done.failed).toBe(120);
    // The average rate counts both, and says how much of it failed: in the same ratio as the counts.
    const progress = (await runProgress(prisma, run!.id))!;
    expect(progress.averageFailed! / progress.averageThroughput!).toBeCloseTo(done.failed / 120, 10);
  });

  it("an endpoint that is down stops the run after ten items in a row, not after the whole dataset; a resume once it is up judges them all", async () => {
    const datasetId = await seedDataset(prisma, 200);
    // Nothing listens on port 9 (discard): every request is refused.
    const judgeId = await simJudge(prisma, "http://127.0.0.1:9/v1", { retries: 1, concurrency: 2 });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 50 });
    const failed = await waitForRun(prisma, run!.id, ["failed"]);
    expect(failed.error).toMatch(
      /^stopped after 10 items in a row failed with: connection failed \(ECONNREFUSED.*\(after 2 attempts\); the endpoint has answered none of the run's items: check its URL, its model name and that it is up, then resume the run$/,
    );
    expect(failed.failed).toBeGreaterThan(0);
    expect(failed.failed).toBeLessThanOrEqual(14);
    // Recorded, so that the run page leaves the time until the resume out of its running time.
    expect(await prisma.auditEvent.count({ where: { action: "run.fail", entity: "judge_run", entityId: String(run!.id) } })).toBe(1);

    const up = await sim();
    await updateJudge(prisma, judgeId, { kind: "openai_compatible", name: "sim 7B", sizeLabel: "7B", settings: { baseUrl: up.url, model: "sim-judge", retryBaseMs: 10, retryMaxMs: 200, timeoutMs: 5_000, retries: 1, concurrency: 2 } }, null);
    const before = (await prisma.judgeRun.findUniqueOrThrow({ where: { id: run!.id } })).settings as Record<string, unknown>;
    expect(before.baseUrl).toBe("http://127.0.0.1:9/v1");
    await controlRun(prisma, run!.id, "resume", null);
    expect(await waitForRun(prisma, run!.id)).toMatchObject({ status: "completed", done: 200, failed: 0, error: null });
    expect(up.stats().requests).toBe(200);
    // The run records the settings it went on with (its page shows them), keeping its own template version and chunk size.
    const after = (await prisma.judgeRun.findUniqueOrThrow({ where: { id: run!.id } })).settings as Record<string, unknown>;
    expect(after).toMatchObject({ baseUrl: up.url, concurrency: 2, templateVersion: before.templateVersion, chunkSize: before.chunkSize });
  });

  it("a wrong model name or a URL that is no inference server stops the run after ten items, not after the whole dataset", async () => {
    const up = await sim();
    const datasetId = await seedDataset(prisma, 120);
    const wrongModel = await simJudge(prisma, up.url, { model: "no-such-model", retries: 0, concurrency: 2 }, "wrong model");
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [wrongModel], source: "cli" }, null, { chunkSize: 40 });
    const failed = await waitForRun(prisma, run!.id, ["failed"]);
    expect(failed.error).toMatch(/^stopped after 10 items in a row failed with: HTTP 404: .*; the endpoint has answered none of the run's items: check its URL, its model name and that it is up/);
    expect(failed.failed).toBeLessThanOrEqual(14);
  });

  it("a run started while a long one goes on takes turns with it, rather than waiting for its last chunk", async () => {
    const slow = await sim({ latencyMs: 100 });
    const fast = await sim();
    const big = await seedDataset(prisma, 300, "big");
    const small = await seedDataset(prisma, 20, "small");
    const slowJudge = await simJudge(prisma, slow.url, { concurrency: 2 }, "slow judge");
    const fastJudge = await simJudge(prisma, fast.url, { concurrency: 2 }, "fast judge");
    await worker();
    const [long] = await createRuns(prisma, { datasetId: big, judgeIds: [slowJudge], source: "cli" }, null, { chunkSize: 10 });
    await waitFor("the long run to start", async () => (await prisma.judgeRun.findUniqueOrThrow({ where: { id: long!.id } })).done > 0);
    const [short] = await createRuns(prisma, { datasetId: small, judgeIds: [fastJudge], source: "cli" }, null, { chunkSize: 10 });
    await waitForRun(prisma, short!.id);
    // 30 chunks of about 0.5 s each (the endpoint's pace, whatever the machine's load): all of
    // them queued first would have kept the short run waiting for about 27 of them (270 items
    // judged); taking turns, for the few queued ahead of it (about 60).
    const longNow = await prisma.judgeRun.findUniqueOrThrow({ where: { id: long!.id } });
    expect(longNow.status).toBe("running");
    expect(longNow.done).toBeLessThan(180);
    expect(await waitForRun(prisma, long!.id)).toMatchObject({ status: "completed", done: 300 });
  });

  it("is refused over nothing (an empty dataset, a filter that selects nothing) rather than recorded as completed", async () => {
    const datasetId = await seedDataset(prisma, 10);
    const empty = await prisma.dataset.create({ data: { name: "empty" }, select: { id: true } });
    const judgeId = await simJudge(prisma, "http://127.0.0.1:9/v1");
    await expect(createRuns(prisma, { datasetId: empty.id, judgeIds: [judgeId], source: "cli" }, null)).rejects.toThrow("the dataset has no responses to judge");
    await expect(createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli", filter: "q=no-such-text-anywhere" }, null)).rejects.toThrow("the filter selects no responses of this dataset");
    // A misspelt parameter is refused, naming it, rather than ignored (which selected the whole dataset).
    await expect(createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli", filter: "verdikt=4:YES&label=correct" }, null)).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining('unknown filter "verdikt"'),
    });
    expect(await prisma.judgeRun.count()).toBe(0);
    // The new-run form offers it last (the one with responses first, though older).
    expect((await runChoices()).datasets.map((d) => [d.id, d.responses])).toEqual([
      [datasetId, 10],
      [empty.id, 0],
    ]);
  });

  it("runs over the items a judgments filter selects", async () => {
    const s = await sim({ errorRate: 0 });
    const datasetId = await seedDataset(prisma, 90);
    const judgeA = await simJudge(prisma, s.url, {}, "A");
    const judgeB = await simJudge(prisma, s.url, {}, "B");
    await worker();
    const [a] = await createRuns(prisma, { datasetId, judgeIds: [judgeA], source: "cli" }, null);
    await waitForRun(prisma, a!.id);
    const no = await prisma.judgment.count({ where: { judgeId: judgeA, verdict: "NO" } });
    expect(no).toBe(30); // i % 3 === 2 answers wrongly, and the simulator here never errs
    const [b] = await createRuns(prisma, { datasetId, judgeIds: [judgeB], source: "ui", filter: `verdict=${judgeA}:NO&after=3` }, null);
    expect(b).toMatchObject({ total: 30, skipped: 0 });
    const run = await waitForRun(prisma, b!.id);
    expect(run.filter).toEqual({ query: `verdict=${judgeA}%3ANO` });
    const judgedByB = await prisma.judgment.findMany({ where: { judgeId: judgeB }, select: { responseId: true } });
    const noOfA = await prisma.judgment.findMany({ where: { judgeId: judgeA, verdict: "NO" }, select: { responseId: true } });
    expect(judgedByB.map((j) => j.responseId).sort()).toEqual(noOfA.map((j) => j.responseId).sort());

    // A band of another judge's soft rewards (a histogram bar's "run judges on these"): read
    // under that judge's version, not as no judgment at all (which refused the run as selecting nothing).
    const band = await prisma.judgment.findMany({ where: { judgeId: judgeA, softReward: { gte: 0.9, lte: 1 } }, select: { responseId: true } });
    expect(band.length).toBeGreaterThan(0);
    const judgeC = await simJudge(prisma, s.url, {}, "C");
    const [c] = await createRuns(prisma, { datasetId, judgeIds: [judgeC], source: "ui", filter: `reward=${judgeA}:0.9-1` }, null);
    expect(c).toMatchObject({ total: band.length, skipped: 0 });
  });

  it("runs rule judges in-process with the same bookkeeping", async () => {
    const datasetId = await seedDataset(prisma, 30);
    const judge = await createJudge(prisma, { kind: "rule_based", name: "containment", settings: { rule: "containment" } }, null);
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judge!.id], source: "cli" }, null);
    expect((await waitForRun(prisma, run!.id)).done).toBe(30);
    const judgments = await prisma.judgment.findMany({ where: { judgeId: judge!.id }, include: { response: { include: { question: true } } } });
    for (const j of judgments) {
      const expected = ruleJudge({ ...DEFAULT_RULE_SETTINGS, rule: "containment" }, { response: j.response.text, reference: j.response.question.reference });
      expect(j.verdict).toBe(expected.verdict);
      expect(j.templateVersion).toMatch(/^containment-[0-9a-f]{8}$/);
    }
  });
});

describe("a run's template version", () => {
  it("stays the run's when the judge moves to another version meanwhile", async () => {
    const s = await sim();
    const datasetId = await seedDataset(prisma, 20);
    const judgeId = await simJudge(prisma, s.url);
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    const edited = await createTemplateVersion(prisma, { name: "other", body: "Other: {question} {response} {reference}", systemMessage: null, finalStepOnly: true, basedOn: "paper-v1" }, null);
    await setJudgeTemplate(prisma, judgeId, edited.version, null);
    await worker();
    await waitForRun(prisma, run!.id);
    const judgments = await judgmentsOf(judgeId);
    expect(judgments.every((j) => j.templateVersion === "paper-v1")).toBe(true);
    expect(s.stats().lastBodies.every((b) => JSON.stringify(b).includes("Given a problem, determine whether"))).toBe(true);
  });

  it("a rule judge whose settings changed mid-run stops the run instead of mislabelling judgments", async () => {
    const datasetId = await seedDataset(prisma, 20);
    const judge = await createJudge(prisma, { kind: "rule_based", name: "num", settings: { rule: "numeric" } }, null);
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judge!.id], source: "cli" }, null);
    await updateJudge(prisma, judge!.id, { kind: "rule_based", name: "num", settings: { rule: "numeric", relativeTolerance: 0.01 } }, null);
    await worker();
    const failed = await waitForRun(prisma, run!.id, ["failed"]);
    expect(failed.error).toMatch(/^num's settings changed since this run started \(now numeric-[0-9a-f]{8}\); start a new run$/);
    expect(await prisma.judgment.count({ where: { judgeId: judge!.id } })).toBe(0);
  });
});

describe("chunks never get stuck", () => {
  it("a chunk bound to a queue job that ended without it is sent again", async () => {
    const s = await sim();
    const datasetId = await seedDataset(prisma, 30);
    const judgeId = await simJudge(prisma, s.url);
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    // As if dispatched to a job the queue then lost (or completed unclaimed).
    await prisma.judgeRun.update({ where: { id: run!.id }, data: { status: "running", startedAt: new Date() } });
    await prisma.judgeRunChunk.updateMany({ where: { runId: run!.id }, data: { jobId: "00000000-0000-4000-8000-000000000001" } });
    await worker();
    expect((await waitForRun(prisma, run!.id, ["completed"], 30_000)).done).toBe(30);
  });

  it("a chunk this worker claimed but no longer works on is handed back and finished", async () => {
    const s = await sim();
    const datasetId = await seedDataset(prisma, 30);
    const judgeId = await simJudge(prisma, s.url);
    const w = await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    await controlRun(prisma, run!.id, "pause", null);
    // As if this worker had claimed it and then lost track of it (a hand-back that failed).
    await prisma.judgeRunChunk.updateMany({ where: { runId: run!.id }, data: { jobId: "00000000-0000-4000-8000-000000000002", workerId: w.id, claimedAt: new Date(Date.now() - 60_000) } });
    await prisma.judgeRun.update({ where: { id: run!.id }, data: { status: "running", startedAt: new Date() } });
    expect((await waitForRun(prisma, run!.id, ["completed"], 30_000)).done).toBe(30);
  });
});

describe("chunks that keep failing", () => {
  it("fail the run with their last error after five failures; resume starts them afresh", async () => {
    const s = await sim();
    const datasetId = await seedDataset(prisma, 30);
    const judgeId = await simJudge(prisma, s.url);
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    await prisma.judgeRunChunk.updateMany({ where: { runId: run!.id }, data: { failures: 5, lastError: "could not write: connection lost" } });
    await worker();
    const failed = await waitForRun(prisma, run!.id, ["failed"]);
    expect(failed.error).toBe("chunk 0 failed 5 times: could not write: connection lost; resume the run to try again");
    await controlRun(prisma, run!.id, "resume", null);
    expect((await waitForRun(prisma, run!.id)).done).toBe(30);
  });
});

describe("the endpoint's concurrency limit", () => {
  it("holds across workers: never more than `concurrency` requests in flight, all workers used", async () => {
    const s = await sim({ latencyMs: 40 });
    const datasetId = await seedDataset(prisma, 480);
    const judgeId = await simJudge(prisma, s.url, { concurrency: 6 });
    for (let i = 0; i < 3; i++) await worker({ parallelChunks: 4 });
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 20 });
    const holders = new Set<string>();
    const sampling = setInterval(() => {
      void prisma.endpointSlot.findMany({ where: { holder: { not: null }, leaseUntil: { gt: new Date() } }, select: { holder: true } }).then((rows) => rows.forEach((r) => holders.add(r.holder!)));
    }, 100);
    await waitForRun(prisma, run!.id, ["completed"], 90_000);
    clearInterval(sampling);
    expect(s.stats().maxInFlight).toBeLessThanOrEqual(6);
    expect(s.stats().maxInFlight).toBeGreaterThanOrEqual(4);
    expect(holders.size).toBeGreaterThanOrEqual(2);
    expect(await prisma.judgment.count({ where: { judgeId } })).toBe(480);
  });
});

describe("pause, resume, cancel", () => {
  it("measures the rate over the time since the latest resume, not over judgments from before the pause", async () => {
    const datasetId = await seedDataset(prisma, 20);
    const judgeId = await simJudge(prisma, "http://127.0.0.1:9/v1");
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 30 });
    // Ran from 60 s ago, paused, resumed 5 s ago: 10 judgments 10 s ago (before the pause), 5 since the resume.
    await prisma.judgeRun.update({ where: { id: run!.id }, data: { status: "running", startedAt: new Date(Date.now() - 60_000) } });
    const ago = (s: number) => prisma.$executeRaw`UPDATE audit_events SET created_at = now() - ${s} * interval '1 second' WHERE id = (SELECT max(id) FROM audit_events)`;
    await prisma.auditEvent.create({ data: { action: "run.pause", entity: "judge_run", entityId: String(run!.id), data: {} } });
    await ago(8);
    await prisma.auditEvent.create({ data: { action: "run.resume", entity: "judge_run", entityId: String(run!.id), data: {} } });
    await ago(5);
    const responses = await prisma.response.findMany({ where: { datasetId }, orderBy: { id: "asc" }, select: { id: true } });
    await prisma.$executeRaw`
      INSERT INTO judgments (response_id, judge_id, run_id, template_version, sample, verdict, created_at)
      SELECT id, ${judgeId}, ${run!.id}, '', 0, 'YES', now() - CASE WHEN n <= 10 THEN interval '10 seconds' ELSE interval '2 seconds' END
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM responses WHERE id = ANY(${responses.map((r) => r.id)}::int[])) x WHERE n <= 15`;
    const progress = (await runProgress(prisma, run!.id))!;
    // 5 judgments over the 5 s since the resume (a second's slack for the test's own time)
    expect(progress.throughput).toBeGreaterThan(5 / 6.5);
    expect(progress.throughput).toBeLessThanOrEqual(1);
  });

  it("pause stops the run within a second; resume finishes it with one judgment per item", async () => {
    const s = await sim({ latencyMs: 30 });
    const datasetId = await seedDataset(prisma, 300);
    const judgeId = await simJudge(prisma, s.url, { concurrency: 4 });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 30 });
    await waitFor("some judgments", async () => (await prisma.judgment.count({ where: { judgeId } })) >= 40);
    await controlRun(prisma, run!.id, "pause", null);
    await new Promise((r) => setTimeout(r, 1500));
    const paused = await prisma.judgment.count({ where: { judgeId } });
    const requests = s.stats().requests;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await prisma.judgment.count({ where: { judgeId } })).toBe(paused);
    expect(s.stats().requests).toBe(requests);
    expect(paused).toBeLessThan(300);
    expect((await prisma.judgeRun.findUnique({ where: { id: run!.id } }))!.status).toBe("paused");
    // The run page's running time stops with the pause.
    const whilePaused = (await runProgress(prisma, run!.id))!;
    expect(whilePaused.stoppedSince).not.toBeNull();
    expect(Date.now() - new Date(whilePaused.stoppedSince!).getTime()).toBeGreaterThanOrEqual(2_900);

    await controlRun(prisma, run!.id, "resume", null);
    const done = await waitForRun(prisma, run!.id);
    expect(done).toMatchObject({ done: 300, failed: 0, total: 300 });
    expect(await prisma.judgment.count({ where: { judgeId } })).toBe(300);
    // The average is over the time it ran: the 3 s paused are not in it.
    const finished = (await runProgress(prisma, run!.id))!;
    const wall = (new Date(finished.finishedAt!).getTime() - new Date(finished.startedAt!).getTime()) / 1000;
    const running = 300 / finished.averageThroughput!;
    expect(finished.stoppedSince).toBeNull();
    expect(finished.stoppedMs).toBeGreaterThanOrEqual(2_900);
    expect(wall - running).toBeCloseTo(finished.stoppedMs / 1000, 1);
  });

  it("a resume right after a pause leaves a chunk a worker still holds to it, not dispatched twice", async () => {
    const datasetId = await seedDataset(prisma, 90);
    const judgeId = await simJudge(prisma, "http://127.0.0.1:9/v1");
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 30 });
    await prisma.judgeRun.update({ where: { id: run!.id }, data: { status: "running", startedAt: new Date() } });
    // Chunk 0 claimed by a worker that has not yet noticed the pause; chunk 1 dispatched, not yet fetched.
    const held = { jobId: "00000000-0000-4000-8000-00000000000a", workerId: "worker-still-on-it" };
    await prisma.judgeRunChunk.update({ where: { runId_idx: { runId: run!.id, idx: 0 } }, data: { ...held, claimedAt: new Date() } });
    await prisma.judgeRunChunk.update({ where: { runId_idx: { runId: run!.id, idx: 1 } }, data: { jobId: "00000000-0000-4000-8000-00000000000b" } });
    await controlRun(prisma, run!.id, "pause", null);
    await controlRun(prisma, run!.id, "resume", null);
    const chunks = await prisma.judgeRunChunk.findMany({ where: { runId: run!.id }, orderBy: { idx: "asc" }, select: { jobId: true, workerId: true } });
    // The held chunk keeps its job and worker, so the dispatcher (job_id IS NULL) does not send it
    // to a second worker; the others go back to the dispatcher.
    expect(chunks).toEqual([held, { jobId: null, workerId: null }, { jobId: null, workerId: null }]);
  });

  it("cancel stops the run for good", async () => {
    const s = await sim({ latencyMs: 30 });
    const datasetId = await seedDataset(prisma, 300);
    const judgeId = await simJudge(prisma, s.url, { concurrency: 4 });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 30 });
    await waitFor("some judgments", async () => (await prisma.judgment.count({ where: { judgeId } })) >= 20);
    await controlRun(prisma, run!.id, "cancel", null);
    await new Promise((r) => setTimeout(r, 1500));
    const count = await prisma.judgment.count({ where: { judgeId } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await prisma.judgment.count({ where: { judgeId } })).toBe(count);
    const cancelled = await prisma.judgeRun.findUnique({ where: { id: run!.id } });
    expect(cancelled).toMatchObject({ status: "cancelled" });
    expect(cancelled!.finishedAt).not.toBeNull();
    await expect(controlRun(prisma, run!.id, "resume", null)).rejects.toThrow("the run is cancelled; it cannot be resumed");
  });
});

describe("results that come back after the run stopped", () => {
  it("a verdict is kept, a failure is not recorded (the item is judged when the run resumes)", async () => {
    const { writeResults } = await import("./write");
    const { failedItem } = await import("@/lib/judges/endpoint");
    const datasetId = await seedDataset(prisma, 4);
    const judgeId = await simJudge(prisma, "http://127.0.0.1:9/v1");
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    await prisma.judgeRun.update({ where: { id: run!.id }, data: { status: "running" } });
    await controlRun(prisma, run!.id, "pause", null);
    const [a, b] = await prisma.response.findMany({ where: { datasetId }, select: { id: true }, orderBy: { id: "asc" } });
    const target = { runId: run!.id, judgeId, templateVersion: "paper-v1", force: false };
    const verdict = { ...failedItem(a!.id, "x", "x"), verdict: "YES" as const, error: null, errorKind: null };
    expect(await writeResults(prisma, target, [verdict, failedItem(b!.id, "server", "HTTP 500")])).toEqual({ written: 1 });
    expect(await prisma.judgeRun.findUnique({ where: { id: run!.id }, select: { done: true, failed: true } })).toEqual({ done: 1, failed: 0 });
    expect(await prisma.judgment.count({ where: { runId: run!.id } })).toBe(1);
  });
});

describe("judges that cannot be called", () => {
  it("a missing API key variable fails the run with the reason", async () => {
    const s = await sim();
    const datasetId = await seedDataset(prisma, 10);
    const judgeId = await simJudge(prisma, s.url, { apiKeyEnv: "NO_SUCH_KEY_VARIABLE" });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
    const failed = await waitForRun(prisma, run!.id, ["failed"]);
    expect(failed.error).toBe("the environment variable NO_SUCH_KEY_VARIABLE (the judge's API key) is not set where the judge runs");
    expect(s.stats().requests).toBe(0);
  });

  it("a refused key stops the run after ten items in a row, not after every item", async () => {
    const s = await sim({ apiKey: "right" });
    const datasetId = await seedDataset(prisma, 200);
    const judgeId = await simJudge(prisma, s.url, { concurrency: 2 });
    await worker();
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 50 });
    const failed = await waitForRun(prisma, run!.id, ["failed"]);
    expect(failed.error).toBe("stopped after 10 items in a row failed with: HTTP 401: Unauthorized");
    // Ten in a row, and the few in flight when the tenth came back (two places at the endpoint).
    expect(s.stats().requests).toBeLessThanOrEqual(14);
    // The failures of the chunk that hit the tenth are written before the run stops; those other
    // chunks still held come back after it and are not recorded (a resume judges them).
    expect(failed.failed).toBeGreaterThan(0);

    // The key fixed, the run resumed at once (the worker had the judge with the old key): every
    // item is judged, the ones that failed included, one judgment each.
    await updateJudge(prisma, judgeId, { kind: "openai_compatible", name: "sim 7B", sizeLabel: "7B", settings: { baseUrl: s.url, model: "sim-judge", retryBaseMs: 10, retryMaxMs: 200, timeoutMs: 5_000, concurrency: 2 }, apiKey: { action: "set", value: "right" } }, null);
    await controlRun(prisma, run!.id, "resume", null);
    const done = await waitForRun(prisma, run!.id);
    expect(done).toMatchObject({ status: "completed", done: 200, failed: 0, error: null });
    expect(await prisma.judgment.count({ where: { runId: run!.id } })).toBe(200);
    expect(await prisma.judgment.count({ where: { judgeId, verdict: null } })).toBe(0);
  });
});
