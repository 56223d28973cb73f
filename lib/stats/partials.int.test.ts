// Parts per chunk of responses (./partials.ts): after each kind of change, the result computed
// from stored parts plus the recomputed chunks equals a full recomputation (`fresh`), and only the
// chunks the change touched are recomputed. The fixture's dataset spans several chunks with a gap.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { buildFixture, type TFixture } from "@/tests/analytics-fixture";
import { importJudgmentsById, importLabelsById } from "@/lib/io/import-by-id";
import { importItems } from "@/lib/io/import-items";
import { pairBreakdown, ratersOf } from "./agreement-queries";
import { CHUNK_BITS, runsOf, splitEvenly, SPLIT_FROM } from "./partials";
import { helperCounts, sideBySide } from "./snapshot";
import { Prisma } from "@/lib/db/generated/client";
import { datasetProfile } from "./profile-queries";
import { judgeQualityTable } from "./quality-queries";
import { LIST_LOOKUP, rewardNormalisation } from "./reward-queries";
import { judgesKey } from "./sql";

const prisma = testDb();
let fx: TFixture;

beforeAll(async () => {
  await resetDb();
  fx = await buildFixture(prisma);
});

const chunkOfId = (id: number) => id >> CHUNK_BITS;

async function responseIds(datasetId = fx.datasetId) {
  return (await prisma.response.findMany({ where: { datasetId }, select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
}

/** The profile and a breakdown from parts, with how many chunks were recomputed, and the same computed from scratch. */
async function both() {
  const raters = ratersOf(fx.judges);
  const profile = await datasetProfile(fx.datasetId, fx.judges);
  const breakdown = await pairBreakdown(fx.datasetId, raters[0]!, raters[2]!);
  const fresh = await datasetProfile(fx.datasetId, fx.judges, { fresh: true });
  const freshBreakdown = await pairBreakdown(fx.datasetId, raters[0]!, raters[2]!, { fresh: true });
  // Judge quality, kept per chunk too: the same rows as a full computation, in any order.
  const quality = await judgeQualityTable(fx.datasetId, fx.judges);
  const freshQuality = await judgeQualityTable(fx.datasetId, fx.judges, { fresh: true });
  const order = (rows: typeof quality.value) => [...rows].sort((a, b) => JSON.stringify([a.judgeId, a.isOverall, a.subject]).localeCompare(JSON.stringify([b.judgeId, b.isOverall, b.subject])));
  expect(order(quality.value)).toEqual(order(freshQuality.value));
  const qualityComputed = (quality as { chunks?: { computed: number } }).chunks?.computed;
  return { profile, breakdown, fresh, freshBreakdown, quality: quality.value, qualityComputed, computed: (profile as { chunks?: { computed: number } }).chunks?.computed };
}

/** Profiles compared as sets of groups (the order of groups is not part of the result); soft sums to rounding. */
function expectSameProfile(a: Awaited<ReturnType<typeof datasetProfile>>["value"], b: typeof a) {
  const key = (x: { gold: unknown; states?: unknown; state?: unknown; bin?: unknown }) => JSON.stringify([x.gold, x.states, x.state, x.bin]);
  expect(a.responses).toBe(b.responses);
  expect(new Map(a.profiles.map((p) => [key(p), p.n]))).toEqual(new Map(b.profiles.map((p) => [key(p), p.n])));
  a.rewards.forEach((groups, i) => {
    const other = new Map(b.rewards[i]!.map((g) => [key(g), g]));
    expect(groups).toHaveLength(other.size);
    for (const g of groups) {
      const o = other.get(key(g))!;
      expect(g.n).toBe(o.n);
      if (g.sumSoft === null) expect(o.sumSoft).toBeNull();
      else expect(g.sumSoft).toBeCloseTo(o.sumSoft!, 9);
    }
  });
}

const byGroup = <T extends { dimension: string; value: string | null }>(rows: T[]) => new Map(rows.map((r) => [`${r.dimension}:${r.value}`, r]));

describe("analytics parts per chunk", () => {
  it("splits the dataset's chunks into runs of consecutive stale ones", () => {
    expect(runsOf([3, 4, 9], [1, 3, 4, 5, 9])).toEqual([
      { lo: 3 << CHUNK_BITS, hi: 5 << CHUNK_BITS, chunks: [3, 4] },
      { lo: 9 << CHUNK_BITS, hi: 10 << CHUNK_BITS, chunks: [9] },
    ]);
    // 4 and 6 are consecutive in the dataset (it has nothing in chunk 5): one run.
    expect(runsOf([4, 6], [4, 6])).toEqual([{ lo: 4 << CHUNK_BITS, hi: 7 << CHUNK_BITS, chunks: [4, 6] }]);
    expect(runsOf([], [1, 2])).toEqual([]);
  });

  it("computes every chunk once, then only those a change touched, always equal to a full computation", async () => {
    const ids = await responseIds();
    const chunks = [...new Set(ids.map(chunkOfId))];
    expect(chunks.length).toBeGreaterThanOrEqual(3); // the fixture spans chunks

    const first = await both();
    expect(first.computed).toBe(chunks.length);
    expect(first.qualityComputed).toBe(chunks.length);
    expectSameProfile(first.profile.value, first.fresh.value);
    expect(byGroup(first.breakdown.value)).toEqual(byGroup(first.freshBreakdown.value));

    // Nothing changed: the whole result is served from its snapshot.
    const again = await datasetProfile(fx.datasetId, fx.judges);
    expect(again.isCached).toBe(true);

    // An expert's label on one item (expert_labels and the response's gold label): its chunk only.
    const last = ids[ids.length - 1]!;
    const unlabelled = (await prisma.response.findFirstOrThrow({ where: { datasetId: fx.datasetId, goldLabel: null }, select: { id: true } })).id;
    await prisma.$transaction((tx) => importLabelsById(tx, { datasetId: fx.datasetId, importedById: null }, [{ line: 1, responseId: unlabelled, annotator: "late", value: "correct" }]));
    const afterLabel = await both();
    expect(afterLabel.computed).toBe(1);
    expect(afterLabel.qualityComputed).toBe(1);
    expect(afterLabel.quality).not.toEqual(first.quality);
    expectSameProfile(afterLabel.profile.value, afterLabel.fresh.value);
    expect(byGroup(afterLabel.breakdown.value)).toEqual(byGroup(afterLabel.freshBreakdown.value));
    expect(afterLabel.profile.value).not.toEqual(first.profile.value);

    // A judgment updated in place (re-judged): its chunk only.
    const firstId = ids[0]!;
    await prisma.judgment.updateMany({ where: { responseId: firstId, judgeId: fx.judges[0]!.id, templateVersion: fx.judges[0]!.templateVersion, sample: 0 }, data: { verdict: "NO", softReward: 0.01 } });
    const afterUpdate = await both();
    expect(afterUpdate.computed).toBe(1);
    expectSameProfile(afterUpdate.profile.value, afterUpdate.fresh.value);

    // New judgments on items of two chunks (a judge run): those two.
    const judge = await prisma.judge.create({ data: { name: "Late judge", kind: "external" } });
    const judges = [...fx.judges, { id: judge.id, templateVersion: judge.templateVersion }];
    const lateProfile = await datasetProfile(fx.datasetId, judges);
    expect((lateProfile as { chunks?: { computed: number } }).chunks?.computed).toBe(chunks.length); // a new key: every chunk
    await importJudgmentsById(prisma, { datasetId: fx.datasetId, judgeId: judge.id, templateVersion: judge.templateVersion }, [firstId, last].map((id, i) => ({ line: i + 1, responseId: id, verdict: "YES", softReward: 0.9 })));
    const afterRun = await datasetProfile(fx.datasetId, judges);
    expect((afterRun as { chunks?: { computed: number } }).chunks?.computed).toBe(chunkOfId(firstId) === chunkOfId(last) ? 1 : 2);
    expectSameProfile(afterRun.value, (await datasetProfile(fx.datasetId, judges, { fresh: true })).value);
    expect(afterRun.value.rewards[2]!.reduce((a, g) => a + g.n, 0)).toBe(2);

    // A question's subject changed: the chunks of its responses (the breakdown by subject).
    const question = await prisma.question.findFirstOrThrow({ where: { datasetId: fx.datasetId }, orderBy: { id: "desc" }, select: { id: true } });
    await prisma.question.update({ where: { id: question.id }, data: { subject: "renamed subject" } });
    const afterSubject = await both();
    expect(afterSubject.computed).toBeGreaterThanOrEqual(1);
    expect(byGroup(afterSubject.breakdown.value)).toEqual(byGroup(afterSubject.freshBreakdown.value));
  });

  it("drops the parts of chunks whose responses were all deleted, and counts what is left", async () => {
    await both(); // parts current
    const ids = await responseIds();
    const firstChunk = chunkOfId(ids[0]!);
    const inFirst = ids.filter((id) => chunkOfId(id) === firstChunk);
    await prisma.response.deleteMany({ where: { id: { in: inFirst } } });
    const after = await both();
    expect(after.computed).toBe(0); // the chunk is gone; the others did not change
    expect(after.profile.value.responses).toBe(ids.length - inFirst.length);
    expectSameProfile(after.profile.value, after.fresh.value);
    const stored = await prisma.$queryRaw<{ chunk: bigint }[]>`SELECT chunk FROM analytics_partials WHERE dataset_id = ${fx.datasetId} AND key = ${`profile:${judgesKey(fx.judges)}`} AND chunk = ${firstChunk}`;
    expect(stored).toEqual([]);
  });

  it("recomputes every chunk after a TRUNCATE of an analysed table (chunk -1)", async () => {
    const chunks = new Set((await responseIds()).map(chunkOfId)).size;
    await both();
    // What the TRUNCATE trigger records, without emptying the shared test tables.
    await prisma.$transaction([
      prisma.$executeRaw`INSERT INTO analytics_chunk_changes (chunk, xid) VALUES (-1, pg_current_xact_id()::text::bigint)`,
      prisma.$executeRaw`INSERT INTO analytics_changes (xid) VALUES (pg_current_xact_id()::text::bigint)`,
    ]);
    const after = await both();
    expect(after.computed).toBe(chunks);
    expectSameProfile(after.profile.value, after.fresh.value);
  });

  it("records the chunks of the rows a statement changed, once per transaction", async () => {
    const ids = await responseIds(fx.otherDatasetId);
    const [before] = await prisma.$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM analytics_chunk_changes`;
    await prisma.$transaction(async (tx) => {
      await tx.response.updateMany({ where: { id: { in: ids } }, data: { policyModel: "renamed" } });
      await tx.response.updateMany({ where: { id: { in: ids } }, data: { policyModel: "renamed again" } });
    });
    const rows = await prisma.$queryRaw<{ chunk: bigint }[]>`SELECT chunk FROM analytics_chunk_changes WHERE id > ${before!.max ?? 0n} ORDER BY chunk`;
    expect(rows.map((r) => Number(r.chunk))).toEqual([...new Set(ids.map(chunkOfId))].sort((a, b) => a - b));
  });
});

describe("what a figure reads", () => {
  it("keeps reward normalisation while experts label, and recomputes it when a judgment changes", async () => {
    const judge = fx.judges[0]!;
    const options = { reward: "binary", ddof: 1, batch: null } as const;
    await rewardNormalisation(fx.datasetId, judge, options);
    const ids = await responseIds();
    await prisma.$transaction((tx) => importLabelsById(tx, { datasetId: fx.datasetId, importedById: null }, [{ line: 1, responseId: ids[1]!, annotator: "kinds", value: "incorrect" }]));
    expect((await rewardNormalisation(fx.datasetId, judge, options)).isCached).toBe(true);
    expect((await datasetProfile(fx.datasetId, fx.judges)).isCached).toBe(false); // the profile reads gold labels

    await prisma.judgment.updateMany({ where: { responseId: ids[1]!, judgeId: judge.id, templateVersion: judge.templateVersion, sample: 0 }, data: { verdict: "YES" } });
    const after = await rewardNormalisation(fx.datasetId, judge, options);
    expect(after.isCached).toBe(false);
    expect(after.value).toEqual((await rewardNormalisation(fx.datasetId, judge, options, { fresh: true })).value);
  });
});

describe.each([
  ["soft rewards normalised over batches", { reward: "soft", ddof: 1, batch: 4 }, 4, LIST_LOOKUP.upTo],
  // batches recomputed by a join rather than looked up one by one (the form for many batches)
  ["soft rewards normalised over batches, joined", { reward: "soft", ddof: 1, batch: 4 }, 4, 0],
  ["binary rewards normalised over batches", { reward: "binary", ddof: 1, batch: 4 }, 4, LIST_LOOKUP.upTo],
  // the whole dataset as one batch: parts per block of questions that only add up
  ["binary rewards normalised over the dataset", { reward: "binary", ddof: 0, batch: null }, 1024, LIST_LOOKUP.upTo],
] as const)("analytics parts per batch of questions (%s)", (_name, options, SIZE, lookupUpTo) => {
  const saved = LIST_LOOKUP.upTo;
  beforeAll(async () => {
    LIST_LOOKUP.upTo = lookupUpTo;
    // Each case starts with nothing computed (two cases share a figure).
    await prisma.$executeRaw`DELETE FROM analytics_partials`;
    await prisma.$executeRaw`DELETE FROM analytics_snapshots`;
  });
  afterAll(() => void (LIST_LOOKUP.upTo = saved));

  /** The batches of the questions with a response in the chunks of `responseIds`, found plainly: questions by id in blocks of SIZE. */
  async function batchesOf(responseIds: number[]) {
    const questions = (await prisma.question.findMany({ where: { datasetId: fx.datasetId }, select: { id: true }, orderBy: { id: "asc" } })).map((q) => q.id);
    const chunks = new Set(responseIds.map(chunkOfId));
    const inChunks = await prisma.response.findMany({ where: { datasetId: fx.datasetId }, select: { id: true, questionId: true } });
    return { total: Math.ceil(questions.length / SIZE), touched: new Set(inChunks.filter((r) => chunks.has(chunkOfId(r.id))).map((r) => Math.floor(questions.indexOf(r.questionId) / SIZE))).size };
  }

  async function normalised() {
    const judge = fx.judges[0]!;
    const result = await rewardNormalisation(fx.datasetId, judge, options);
    const fresh = await rewardNormalisation(fx.datasetId, judge, options, { fresh: true });
    expect(result.value).toEqual(fresh.value);
    return { value: result.value, computed: (result as { batches?: { computed: number; total: number } }).batches };
  }

  it("recomputes only the batches a change can reach, always equal to a full computation", async () => {
    const judge = fx.judges[0]!;
    const ids = await responseIds();
    const first = await normalised();
    expect(first.computed).toEqual({ total: (await batchesOf([])).total, computed: (await batchesOf([])).total });
    expect(first.value.rewards).toBeGreaterThan(0);

    // A re-judged item (its verdict turned): the batches with responses in its chunk.
    const before = await prisma.judgment.findFirstOrThrow({ where: { responseId: ids[0]!, judgeId: judge.id, templateVersion: judge.templateVersion, sample: 0 } });
    await prisma.judgment.updateMany({ where: { id: before.id }, data: { verdict: before.verdict === "YES" ? "NO" : "YES", softReward: before.softReward === 0.77 ? 0.23 : 0.77 } });
    const rejudged = await normalised();
    const expected = await batchesOf([ids[0]!]);
    expect(rejudged.computed).toEqual({ total: expected.total, computed: expected.touched });
    if (SIZE < 1024) expect(expected.touched).toBeLessThan(expected.total);
    expect(rejudged.value).not.toEqual(first.value);

    // A new response to the first question, judged, in a chunk none of the question's parts read.
    await prisma.$queryRawUnsafe(`SELECT setval('responses_id_seq', ((last_value >> ${CHUNK_BITS}) + 3) << ${CHUNK_BITS}) FROM responses_id_seq`);
    await importItems(prisma, fx.datasetId, [{ line: 1, question: "analytics question 0", reference: "ref 0", response: "a late answer", policyModel: "policy-a", sampleIndex: 99 }]);
    const late = await prisma.response.findFirstOrThrow({ where: { datasetId: fx.datasetId }, orderBy: { id: "desc" }, select: { id: true, questionId: true } });
    expect(chunkOfId(late.id)).toBeGreaterThan(chunkOfId(ids[ids.length - 1]!));
    await importJudgmentsById(prisma, { datasetId: fx.datasetId, judgeId: judge.id, templateVersion: judge.templateVersion }, [{ line: 1, responseId: late.id, verdict: "YES", softReward: 0.05 }]);
    const added = await normalised();
    expect(added.value.rewards).toBe(rejudged.value.rewards + 1);
    expect(added.computed!.computed).toBeGreaterThanOrEqual(1);

    // That response deleted again: the batch that read its chunk.
    await prisma.response.delete({ where: { id: late.id } });
    const deleted = await normalised();
    expect(deleted.value).toEqual(rejudged.value);
    expect(deleted.computed!.computed).toBe(1);

    // A question in the middle deleted (with its responses): every later batch has other questions now.
    const questions = await prisma.question.findMany({ where: { datasetId: fx.datasetId }, select: { id: true }, orderBy: { id: "asc" } });
    const middle = Math.floor(questions.length / 2);
    await prisma.response.deleteMany({ where: { questionId: questions[middle]!.id } });
    await prisma.question.delete({ where: { id: questions[middle]!.id } });
    const shifted = await normalised();
    expect(shifted.computed!.computed).toBeGreaterThanOrEqual(Math.ceil((questions.length - 1) / SIZE) - Math.floor(middle / SIZE));

    // Nothing of this dataset changed (a judgment of the other dataset): nothing recomputed.
    const other = await prisma.response.findFirstOrThrow({ where: { datasetId: fx.otherDatasetId }, select: { id: true }, orderBy: { id: "desc" } }); // in a chunk of its own
    await prisma.judgment.updateMany({ where: { responseId: other.id, judgeId: judge.id, templateVersion: judge.templateVersion, sample: 0 }, data: { softReward: 0.33 } });
    const quiet = await normalised();
    expect(quiet.value).toEqual(shifted.value);
    expect(quiet.computed!.computed).toBe(0);
  });
});

describe("one computation on several connections", () => {
  it("cuts work into even consecutive groups, none too small", () => {
    expect(splitEvenly([1, 2, 3, 4, 5], 2, 2)).toEqual([[1, 2, 3], [4, 5]]);
    expect(splitEvenly([1, 2, 3], 2, 2)).toEqual([[1, 2, 3]]); // two groups would be under 2
    expect(splitEvenly([], 2, 1)).toEqual([[]]);
  });

  // The embedded database is one backend: a computation stays on its own connection there.
  const embedded = inject("embeddedDatabase");

  it.skipIf(embedded)("runs tasks on helper transactions that read the snapshot of the transaction they help", async () => {
    const ran = helperCounts.ran;
    const count = (tx: Prisma.TransactionClient) => tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM datasets`.then((r) => r[0]!.n);
    const pid = (tx: Prisma.TransactionClient) => tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`.then((r) => r[0]!.pid);
    const { before, counts, pids } = await prisma.$transaction(
      async (tx) => {
        const before = await count(tx);
        // Committed after the snapshot was taken: neither this transaction nor its helper sees it.
        await testDb().$executeRaw`INSERT INTO datasets (name) VALUES ('after the snapshot')`;
        const [counts, pids] = await Promise.all([sideBySide(tx, [count, count]), sideBySide(tx, [pid, pid])]);
        return { before, counts, pids };
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    expect(counts).toEqual([before, before]);
    expect(pids[0]).not.toBe(pids[1]); // another connection
    expect(helperCounts.ran).toBe(ran + 2);
    expect(await prisma.dataset.count()).toBe(before + 1);
  });

  it.skipIf(embedded)("leaves a task whose helper fails to the transaction itself", async () => {
    const fellBack = helperCounts.fellBack;
    const results = await prisma.$transaction(
      async (tx) => {
        const onlyHere = async (t: Prisma.TransactionClient) => {
          if (t !== tx) throw new Error("not on a helper");
          return "here";
        };
        return sideBySide(tx, [onlyHere, onlyHere]);
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    expect(results).toEqual(["here", "here"]);
    expect(helperCounts.fellBack).toBe(fellBack + 1);
  });

  it("gives the same figures split over connections as computed on one", async () => {
    const judge = fx.judges[0]!;
    const raters = ratersOf(fx.judges);
    const soft = { reward: "soft", ddof: 0, batch: 2 } as const;
    const binary = { reward: "binary", ddof: 1, batch: 2 } as const;
    const whole = {
      profile: (await datasetProfile(fx.datasetId, fx.judges, { fresh: true })).value,
      breakdown: (await pairBreakdown(fx.datasetId, raters[0]!, raters[2]!, { fresh: true })).value,
      soft: (await rewardNormalisation(fx.datasetId, judge, soft, { fresh: true })).value,
      binary: (await rewardNormalisation(fx.datasetId, judge, binary, { fresh: true })).value,
    };
    const ran = helperCounts.ran;
    const saved = { ...SPLIT_FROM };
    Object.assign(SPLIT_FROM, { chunks: 1, questions: 1 });
    try {
      const profile = await datasetProfile(fx.datasetId, fx.judges, { fresh: true });
      expectSameProfile(profile.value, whole.profile);
      expect(byGroup((await pairBreakdown(fx.datasetId, raters[0]!, raters[2]!, { fresh: true })).value)).toEqual(byGroup(whole.breakdown));
      expect((await rewardNormalisation(fx.datasetId, judge, soft, { fresh: true })).value).toEqual(whole.soft);
      expect((await rewardNormalisation(fx.datasetId, judge, binary, { fresh: true })).value).toEqual(whole.binary);
    } finally {
      Object.assign(SPLIT_FROM, saved);
    }
    expect(helperCounts.ran).toBe(embedded ? ran : ran + 4); // each of the four split in two
  });
});
