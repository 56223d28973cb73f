// The reward signal an RL run receives from a judge on this dataset (sample 0, current template
// version): verdict counts and the binary reward rate (Eq. 3), the soft-reward histogram (Eq. 4),
// and Eq. 5's normalisation over a batch and within each question's group (lib/stats/rewards.ts).
// A batch is `batch` consecutive questions in id order (a rollout batch of B prompts), or the
// whole dataset. Binary rewards are normalised from per-group (k, passes) profiles, which fix
// every normalised value (rewards.ts, groupZValues); soft rewards in SQL from per-group mean and
// standard deviation.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { groupStats, groupZValues, histogramBin, type TDdof, type TGroupProfile, type TGroupStats } from "./rewards";
import { datasetCounts } from "./overview-queries";
import { datasetProfile, SOFT_BINS, type TRewardGroup } from "./profile-queries";
import { batchedSnapshot, batchInRange, chunkOf, type TBatchSelection, type TQuestionBatch } from "./partials";
import { CHANGES, snapshot, type TSnapshot } from "./snapshot";
import { jsonRows, type TJudgeRef } from "./sql";

type Tx = Prisma.TransactionClient;

export { SOFT_BINS } from "./profile-queries";
/** Normalised rewards are shown over [-3, 3] in 24 bins; values beyond fall in the edge bins. */
export const Z_RANGE = { low: -3, high: 3, bins: 24 } as const;


// ---------------------------------------------------------------------------------------------
// Per judge: verdicts and the soft-reward histogram.

export type TJudgeRewards = {
  judgeId: number;
  yes: number;
  no: number;
  unparseable: number;
  failed: number;
  /** YES / (YES + NO): the mean binary reward */
  rewardRate: number | null;
  meanSoft: number | null;
  /** SOFT_BINS bins over [0, 1], split by the gold label */
  softHistogram: { bin: number; correct: number; incorrect: number; other: number }[];
};

export type TRewardOverview = { responses: number; judges: TJudgeRewards[] };

/** One judge's verdict counts and soft-reward histogram from its groups of the dataset profile. */
export function judgeRewardsOf(judgeId: number, groups: readonly TRewardGroup[]): TJudgeRewards {
  const r: TJudgeRewards = { judgeId, yes: 0, no: 0, unparseable: 0, failed: 0, rewardRate: null, meanSoft: null, softHistogram: [] };
  const bins = Array.from({ length: SOFT_BINS }, (_, bin) => ({ bin, correct: 0, incorrect: 0, other: 0 }));
  let soft = 0;
  let softN = 0;
  for (const g of groups) {
    if (g.state === "YES") r.yes += g.n;
    else if (g.state === "NO") r.no += g.n;
    else if (g.state === "UNPARSEABLE") r.unparseable += g.n;
    else r.failed += g.n;
    if (g.bin !== null) {
      const b = bins[g.bin]!;
      if (g.gold === "correct") b.correct += g.n;
      else if (g.gold === "incorrect") b.incorrect += g.n;
      else b.other += g.n;
      soft += g.sumSoft ?? 0;
      softN += g.n;
    }
  }
  r.rewardRate = r.yes + r.no ? r.yes / (r.yes + r.no) : null;
  r.meanSoft = softN ? soft / softN : null;
  r.softHistogram = bins;
  return r;
}

/** Every judge's rewards, from the dataset profile (one pass over the responses for all judges, shared with the agreement matrix). */
export async function rewardOverview(datasetId: number, judges: readonly TJudgeRef[], options: { fresh?: boolean } = {}): Promise<TSnapshot<TRewardOverview>> {
  if (judges.length === 0) {
    const counts = await datasetCounts(datasetId, options);
    return { ...counts, value: { responses: counts.value.responses, judges: [] } };
  }
  const profile = await datasetProfile(datasetId, judges, options);
  return { ...profile, value: { responses: profile.value.responses, judges: judges.map((j, i) => judgeRewardsOf(j.id, profile.value.rewards[i]!)) } };
}

// ---------------------------------------------------------------------------------------------
// Eq. 5 for one judge.

export type TRewardKind = "binary" | "soft";
export type TNormaliseOptions = { reward: TRewardKind; ddof: TDdof; /** questions per batch; null = the whole dataset */ batch: number | null };

export type TNormalisation = {
  /** histogram of batch-normalised rewards (Z_RANGE) */
  batchHistogram: number[];
  batches: number;
  /** batches whose rewards all equal: every normalised reward is 0 */
  zeroVarianceBatches: number;
  /** histogram of group-normalised rewards (Z_RANGE) */
  groupHistogram: number[];
  /** under the binary reward: pass rates and zero-variance groups */
  groups: TGroupStats | null;
  /** rewards counted (responses with a YES/NO verdict, or with a soft reward) */
  rewards: number;
};

/** A judgment's reward (j: judgments), and whether it has one: a YES/NO verdict, or a soft reward. */
const rewardValue = (reward: TRewardKind) => (reward === "binary" ? Prisma.sql`(j.verdict = 'YES')::int` : Prisma.sql`j.soft_reward`);
const rewardReadable = (reward: TRewardKind) => (reward === "binary" ? Prisma.sql`j.verdict IN ('YES', 'NO')` : Prisma.sql`j.soft_reward IS NOT NULL`);

/** Readable rewards of the judge, one per response, with the response's question. */
const rewardRows = (datasetId: number, judge: TJudgeRef, reward: TRewardKind) => Prisma.sql`
  SELECT r.id, r.question_id, ${rewardValue(reward)} AS v
  FROM responses r
  JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
  WHERE r.dataset_id = ${datasetId} AND ${rewardReadable(reward)}`;

function zHistogramFromProfiles(profiles: readonly TGroupProfile[], ddof: TDdof): number[] {
  const counts = new Array<number>(Z_RANGE.bins).fill(0);
  for (const { k, passes, groups } of profiles) {
    const z = groupZValues(k, passes, ddof);
    counts[histogramBin(z.pass, Z_RANGE.low, Z_RANGE.high, Z_RANGE.bins)]! += groups * passes;
    counts[histogramBin(z.fail, Z_RANGE.low, Z_RANGE.high, Z_RANGE.bins)]! += groups * (k - passes);
  }
  return counts;
}

const zeroVariance = (profiles: readonly TGroupProfile[]) => profiles.reduce((a, p) => a + (p.k >= 1 && (p.passes === 0 || p.passes === p.k || p.k === 1) ? p.groups : 0), 0);

/**
 * A batch's part of the binary normalisation: its questions' (k, passes) profiles ("k,passes" ->
 * questions) and its totals. Eq. 5 under the binary reward follows from these counts alone
 * (rewards.ts groupZValues), so they add up over batches.
 */
type TBinaryPart = { groups: Record<string, number>; k: number; passes: number };

/** Questions per stored part when the batch is the whole dataset (the parts then only add up). */
const WHOLE_DATASET_PART = 1024;

async function binaryParts(tx: Tx, datasetId: number, judge: TJudgeRef, selection: TBatchSelection) {
  const rows = await jsonRows<{ batch: number; k: number; passes: number; n: number; lo: number; hi: number }>(
    tx,
    Prisma.sql`
    WITH per_question AS (
      SELECT batch, count(*)::int AS k, sum(v)::int AS passes, min(chunk) AS lo, max(chunk) AS hi FROM (${await batchRows(tx, datasetId, judge, "binary", selection)}) x GROUP BY question_id, batch
    )
    SELECT batch::int, k, passes, count(*)::int AS n, min(lo)::int AS lo, max(hi)::int AS hi FROM per_question GROUP BY batch, k, passes`,
  );
  const parts = new Map<number, { part: TBinaryPart; read: [number, number] | null }>();
  for (const r of rows) {
    let p = parts.get(r.batch);
    if (!p) parts.set(r.batch, (p = { part: emptyBinaryPart(), read: [r.lo, r.hi] }));
    p.part.groups[`${r.k},${r.passes}`] = r.n;
    p.part.k += r.k * r.n;
    p.part.passes += r.passes * r.n;
    p.read = [Math.min(p.read![0], r.lo), Math.max(p.read![1], r.hi)];
  }
  return parts;
}

const emptyBinaryPart = (): TBinaryPart => ({ groups: {}, k: 0, passes: 0 });

const profilesOf = (counts: Map<string, number>): TGroupProfile[] =>
  [...counts].map(([key, groups]) => {
    const [k, passes] = key.split(",").map(Number) as [number, number];
    return { k, passes, groups };
  });

function binaryNormalisationOf(parts: readonly TBinaryPart[], o: TNormaliseOptions): TNormalisation {
  const groupCounts = new Map<string, number>();
  const batchCounts = new Map<string, number>();
  const whole = { k: 0, passes: 0 };
  for (const p of parts) {
    for (const [key, n] of Object.entries(p.groups)) groupCounts.set(key, (groupCounts.get(key) ?? 0) + n);
    whole.k += p.k;
    whole.passes += p.passes;
    // A batch without a YES/NO verdict is no batch of rewards.
    if (o.batch !== null && p.k > 0) batchCounts.set(`${p.k},${p.passes}`, (batchCounts.get(`${p.k},${p.passes}`) ?? 0) + 1);
  }
  if (o.batch === null && whole.k > 0) batchCounts.set(`${whole.k},${whole.passes}`, 1);
  const groups = profilesOf(groupCounts);
  const batches = profilesOf(batchCounts);
  return {
    batchHistogram: zHistogramFromProfiles(batches, o.ddof),
    batches: batches.reduce((a, b) => a + b.groups, 0),
    zeroVarianceBatches: zeroVariance(batches),
    groupHistogram: zHistogramFromProfiles(groups, o.ddof),
    groups: groupStats(groups),
    rewards: groups.reduce((a, g) => a + g.k * g.groups, 0),
  };
}

/** Up to this many questions, a list of batches looks its rows up by question and response (see batchRows; tests change it). */
export const LIST_LOOKUP = { upTo: 10_000 };

/**
 * The judge's readable rewards of the selected batches' questions, each with its question, the
 * chunk of its response and its batch: of a few batches by `list`, or of a `range` of consecutive
 * batches by a pass over their stretch of response ids (rangeRows).
 */
async function batchRows(tx: Tx, datasetId: number, judge: TJudgeRef, reward: TRewardKind, selection: TBatchSelection) {
  if ("list" in selection) {
    const { list } = selection;
    const batches = Prisma.sql`unnest(${list.map((b) => b.batch)}::int[], ${list.map((b) => b.first)}::int[], ${list.map((b) => b.last)}::int[]) AS b(batch, first, last)`;
    const judgment = Prisma.sql`j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0 AND ${rewardReadable(reward)}`;
    const columns = Prisma.sql`r.question_id, ${rewardValue(reward)} AS v, ${chunkOf(Prisma.sql`r.id`)} AS chunk, b.batch`;
    if (list.reduce((a, b) => a + b.questions, 0) <= LIST_LOOKUP.upTo) {
      // A few batches: each one's responses by a range of question ids, and their judgments one
      // by one. Planned as joins, with no way to tell how many questions a range holds, this
      // became a pass over every response and judgment of the dataset (2.8 s against 0.2 s for
      // 13 batches of 256 questions of a million rewards); OFFSET 0 and LIMIT 1 keep the lookups.
      return Prisma.sql`
        SELECT ${columns} FROM ${batches}
        CROSS JOIN LATERAL (SELECT r.id, r.question_id FROM responses r WHERE r.question_id BETWEEN b.first AND b.last AND r.dataset_id = ${datasetId} OFFSET 0) r
        CROSS JOIN LATERAL (SELECT j.verdict, j.soft_reward FROM judgments j WHERE j.response_id = r.id AND ${judgment} LIMIT 1) j`;
    }
    return Prisma.sql`
      SELECT ${columns} FROM ${batches}
      JOIN questions q ON q.dataset_id = ${datasetId} AND q.id BETWEEN b.first AND b.last
      JOIN responses r ON r.question_id = q.id AND r.dataset_id = ${datasetId}
      JOIN judgments j ON j.response_id = r.id AND ${judgment}`;
  }
  return rangeRows(tx, datasetId, judge, reward, selection.range);
}

/** A batch's part of the soft normalisation: its histograms, whether it has rewards, whether they all equal. */
type TSoftPart = { batch: number[]; group: number[]; counted: number; zero: number };

/**
 * The soft normalisation's part of each batch of questions: of the given batches, or of all of
 * the dataset's (null: size null, one batch) in one pass. Batch numbers are those of the batches
 * given.
 *
 * One pass over the rewards gathers each question's rewards into an array with their mean and
 * deviation; the batches' means and deviations, and both histograms, are then read from those
 * 200,000 arrays rather than from a million rows kept aside (materialising the rows cost as much
 * as reading them: 3.3 s against 2.7 s for this form on a million rewards).
 */
async function softParts(tx: Tx, datasetId: number, judge: TJudgeRef, ddof: TDdof, selection: TBatchSelection | null) {
  const std = (v: Prisma.Sql) => (ddof === 1 ? Prisma.sql`stddev_samp(${v})` : Prisma.sql`stddev_pop(${v})`);
  const { low, high, bins } = Z_RANGE;
  // z = 0 where std is 0 or undefined (Eq. 5); the bin formula is rewards.ts histogramBin.
  const bin = (m: string, sd: string) =>
    Prisma.sql`least(greatest(floor(((CASE WHEN coalesce(${Prisma.raw(sd)}, 0) = 0 THEN 0 ELSE (v - ${Prisma.raw(m)}) / ${Prisma.raw(sd)} END) - ${low}::float8) / ${high - low}::float8 * ${bins}::float8), 0), ${bins - 1})::int`;
  const x = selection
    ? await batchRows(tx, datasetId, judge, "soft", selection)
    : Prisma.sql`SELECT w.question_id, w.v, ${chunkOf(Prisma.sql`w.id`)} AS chunk, 0 AS batch FROM (${rewardRows(datasetId, judge, "soft")}) w`;
  // The arrays are unnested in the select list (a ProjectSet), not by a lateral function scan,
  // which stores each question's few rewards in a tuplestore of its own; and once for both
  // histograms, grouped by two grouping sets in one pass: 0.98-1.15 s to 0.75-0.82 s of database
  // CPU for half of the 1M seed's rewards, the same counts.
  const rows = await jsonRows<{ level: "group" | "batch" | "info"; batch: number; bin: number; n: number; lo: number | null; hi: number | null }>(
    tx,
    Prisma.sql`
    WITH g AS MATERIALIZED (
      SELECT batch, array_agg(v) AS vs, avg(v) AS m, ${std(Prisma.sql`v`)} AS sd, min(chunk) AS lo, max(chunk) AS hi FROM (${x}) x GROUP BY question_id, batch
    ), b AS (
      SELECT batch, avg(v) AS m, ${std(Prisma.sql`v`)} AS sd, min(lo)::int AS lo, max(hi)::int AS hi FROM (SELECT batch, lo, hi, unnest(vs) AS v FROM g) u GROUP BY batch
    )
    SELECT CASE WHEN GROUPING(group_bin) = 0 THEN 'group' ELSE 'batch' END AS level, batch::int AS batch, coalesce(group_bin, batch_bin) AS bin, count(*)::int AS n, NULL::int AS lo, NULL::int AS hi
    FROM (
      SELECT batch, ${bin("m", "sd")} AS group_bin, ${bin("batch_m", "batch_sd")} AS batch_bin
      FROM (SELECT g.batch, g.m, g.sd, b.m AS batch_m, b.sd AS batch_sd, unnest(g.vs) AS v FROM g JOIN b ON b.batch = g.batch) u
    ) z
    GROUP BY GROUPING SETS ((batch, group_bin), (batch, batch_bin))
    UNION ALL
    SELECT 'info', b.batch::int, (coalesce(b.sd, 0) = 0)::int, 0, b.lo, b.hi FROM b`,
  );
  const parts = new Map<number, { part: TSoftPart; read: [number, number] | null }>();
  const of = (batch: number) => {
    let p = parts.get(batch);
    if (!p) parts.set(batch, (p = { part: emptySoftPart(), read: null }));
    return p;
  };
  for (const r of rows) {
    const p = of(r.batch);
    if (r.level === "info") {
      p.part.counted = 1;
      p.part.zero = r.bin;
      p.read = [r.lo!, r.hi!];
    } else p.part[r.level][r.bin]! += r.n;
  }
  return parts;
}

/**
 * The rewards of the questions of consecutive batches, each with its batch. The responses'
 * ids are bounded too (one index probe from each end): their questions' responses usually lie in
 * one stretch of ids, and the bounds keep both index scans of the join to it, where the question
 * filter alone leaves them reading every response and judgment of the dataset (0.9 s against 1.1 s
 * of database CPU for half of a million rewards).
 */
async function rangeRows(tx: Tx, datasetId: number, judge: TJudgeRef, reward: TRewardKind, range: readonly TQuestionBatch[]) {
  const [first, last] = [range[0]!.first, range.at(-1)!.last];
  const [ids] = await tx.$queryRaw<{ lo: number | null; hi: number | null }[]>`
    SELECT min(id)::int AS lo, max(id)::int AS hi FROM responses WHERE dataset_id = ${datasetId} AND question_id BETWEEN ${first} AND ${last}`;
  const [lo, hi] = [ids?.lo ?? 0, ids?.hi ?? -1];
  return Prisma.sql`
    SELECT r.question_id, ${rewardValue(reward)} AS v, ${chunkOf(Prisma.sql`r.id`)} AS chunk, ${batchInRange(Prisma.sql`r.question_id`, range)} AS batch
    FROM responses r
    JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
      AND ${rewardReadable(reward)} AND j.response_id BETWEEN ${lo} AND ${hi}
    WHERE r.dataset_id = ${datasetId} AND r.id BETWEEN ${lo} AND ${hi} AND r.question_id BETWEEN ${first} AND ${last}`;
}

const emptySoftPart = (): TSoftPart => ({ batch: new Array<number>(Z_RANGE.bins).fill(0), group: new Array<number>(Z_RANGE.bins).fill(0), counted: 0, zero: 0 });

function softNormalisationOf(parts: readonly TSoftPart[]): TNormalisation {
  const sum = (level: "batch" | "group") => parts.reduce((a, p) => a.map((n, i) => n + p[level][i]!), new Array<number>(Z_RANGE.bins).fill(0));
  const groupHistogram = sum("group");
  return {
    batchHistogram: sum("batch"),
    batches: parts.reduce((a, p) => a + p.counted, 0),
    zeroVarianceBatches: parts.reduce((a, p) => a + p.zero, 0),
    groupHistogram,
    groups: null,
    rewards: groupHistogram.reduce((a, b) => a + b, 0),
  };
}

export async function rewardNormalisation(datasetId: number, judge: TJudgeRef, o: TNormaliseOptions, options: { fresh?: boolean } = {}): Promise<TSnapshot<TNormalisation>> {
  const key = `normalisation:${judge.id}@${JSON.stringify(judge.templateVersion)}:${o.reward}:${o.ddof}:${o.batch ?? "all"}`;
  // Rewards read judgments, responses and questions, never expert labels.
  const reads = CHANGES.answers;
  if (o.reward === "binary") {
    // Parts per batch (per block of questions for the whole dataset): a re-judged item recomputes one.
    return batchedSnapshot(
      datasetId,
      key,
      { size: o.batch ?? WHOLE_DATASET_PART, compute: (tx, selection) => binaryParts(tx, datasetId, judge, selection), empty: emptyBinaryPart, combine: (parts) => binaryNormalisationOf(parts, o) },
      { ...options, reads },
    );
  }
  // The whole dataset as one batch: every reward's z moves with any change, so one pass each time.
  if (o.batch === null) return snapshot(datasetId, key, async (tx) => softNormalisationOf([...(await softParts(tx, datasetId, judge, o.ddof, null)).values()].map((p) => p.part)), { ...options, reads });
  const size = o.batch;
  // Soft rewards in batches: parts per batch of questions (partials.ts), recomputed where a change falls.
  return batchedSnapshot(
    datasetId,
    key,
    { size, compute: (tx, selection) => softParts(tx, datasetId, judge, o.ddof, selection), empty: emptySoftPart, combine: softNormalisationOf },
    { ...options, reads },
  );
}
