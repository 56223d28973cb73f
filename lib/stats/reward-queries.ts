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
import { batchedSnapshot, batchInRange, chunkOf, questionBatchOf, type TBatchSelection, type TQuestionBatch } from "./partials";
import { CHANGES, snapshot, type TSnapshot } from "./snapshot";
import type { TJudgeRef } from "./sql";

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

/** Readable rewards of the judge, one per response, with the response's question. */
const rewardRows = (datasetId: number, judge: TJudgeRef, reward: TRewardKind) => Prisma.sql`
  SELECT r.id, r.question_id, ${reward === "binary" ? Prisma.sql`(j.verdict = 'YES')::int::float8` : Prisma.sql`j.soft_reward`} AS v
  FROM responses r
  JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
  WHERE r.dataset_id = ${datasetId} AND ${reward === "binary" ? Prisma.sql`j.verdict IN ('YES', 'NO')` : Prisma.sql`j.soft_reward IS NOT NULL`}`;

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

async function binaryNormalisation(tx: Tx, datasetId: number, judge: TJudgeRef, o: TNormaliseOptions): Promise<TNormalisation> {
  // Per question (k, passes), then per batch (n, passes): both small, aggregated in SQL.
  const rows = await tx.$queryRaw<{ level: "group" | "batch"; k: number; passes: number; groups: number }[]>`
    WITH per_question AS (
      SELECT question_id, count(*)::int AS k, sum(v)::int AS passes FROM (${rewardRows(datasetId, judge, "binary")}) x GROUP BY question_id
    ), per_batch AS (${
      // The whole dataset as one batch needs no batch numbers (joining them cost a pass over the questions).
      o.batch === null
        ? Prisma.sql`SELECT sum(k)::int AS k, sum(passes)::int AS passes FROM per_question HAVING count(*) > 0`
        : Prisma.sql`SELECT b.batch, sum(g.k)::int AS k, sum(g.passes)::int AS passes
      FROM per_question g JOIN (${questionBatchOf(datasetId, o.batch)}) b ON b.question_id = g.question_id
      GROUP BY b.batch`
    })
    SELECT 'group' AS level, k, passes, count(*)::int AS groups FROM per_question GROUP BY k, passes
    UNION ALL
    SELECT 'batch', k, passes, count(*)::int FROM per_batch GROUP BY k, passes`;
  const groups = rows.filter((r) => r.level === "group");
  const batches = rows.filter((r) => r.level === "batch");
  return {
    batchHistogram: zHistogramFromProfiles(batches, o.ddof),
    batches: batches.reduce((a, b) => a + b.groups, 0),
    zeroVarianceBatches: zeroVariance(batches),
    groupHistogram: zHistogramFromProfiles(groups, o.ddof),
    groups: groupStats(groups),
    rewards: groups.reduce((a, g) => a + g.k * g.groups, 0),
  };
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
  const bin = (s: string) => Prisma.sql`least(greatest(floor(((CASE WHEN coalesce(${Prisma.raw(s)}.sd, 0) = 0 THEN 0 ELSE (v - ${Prisma.raw(s)}.m) / ${Prisma.raw(s)}.sd END) - ${low}::float8) / ${high - low}::float8 * ${bins}::float8), 0), ${bins - 1})::int`;
  const x =
    selection && "list" in selection
      ? Prisma.sql`
      SELECT r.question_id, j.soft_reward AS v, ${chunkOf(Prisma.sql`r.id`)} AS chunk, b.batch
      FROM unnest(${selection.list.map((b) => b.batch)}::int[], ${selection.list.map((b) => b.first)}::int[], ${selection.list.map((b) => b.last)}::int[]) AS b(batch, first, last)
      JOIN questions q ON q.dataset_id = ${datasetId} AND q.id BETWEEN b.first AND b.last
      JOIN responses r ON r.question_id = q.id AND r.dataset_id = ${datasetId}
      JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0 AND j.soft_reward IS NOT NULL`
      : selection
        ? await rangeRows(tx, datasetId, judge, selection.range)
        : Prisma.sql`SELECT w.question_id, w.v, ${chunkOf(Prisma.sql`w.id`)} AS chunk, 0 AS batch FROM (${rewardRows(datasetId, judge, "soft")}) w`;
  const rows = await tx.$queryRaw<{ level: "group" | "batch" | "info"; batch: number; bin: number; n: number; lo: number | null; hi: number | null }[]>`
    WITH g AS MATERIALIZED (
      SELECT batch, array_agg(v) AS vs, avg(v) AS m, ${std(Prisma.sql`v`)} AS sd, min(chunk) AS lo, max(chunk) AS hi FROM (${x}) x GROUP BY question_id, batch
    ), b AS (
      SELECT g.batch, avg(v) AS m, ${std(Prisma.sql`v`)} AS sd, min(g.lo)::int AS lo, max(g.hi)::int AS hi FROM g, unnest(g.vs) v GROUP BY g.batch
    )
    SELECT 'group' AS level, g.batch::int AS batch, ${bin("g")} AS bin, count(*)::int AS n, NULL::int AS lo, NULL::int AS hi FROM g, unnest(g.vs) v GROUP BY 2, 3
    UNION ALL
    SELECT 'batch', g.batch::int, ${bin("b")}, count(*)::int, NULL, NULL FROM g JOIN b ON b.batch = g.batch, unnest(g.vs) v GROUP BY 2, 3
    UNION ALL
    SELECT 'info', b.batch::int, (coalesce(b.sd, 0) = 0)::int, 0, b.lo, b.hi FROM b`;
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
 * The soft rewards of the questions of consecutive batches, each with its batch. The responses'
 * ids are bounded too (one index probe from each end): their questions' responses usually lie in
 * one stretch of ids, and the bounds keep both index scans of the join to it, where the question
 * filter alone leaves them reading every response and judgment of the dataset (0.9 s against 1.1 s
 * of database CPU for half of a million rewards).
 */
async function rangeRows(tx: Tx, datasetId: number, judge: TJudgeRef, range: readonly TQuestionBatch[]) {
  const [first, last] = [range[0]!.first, range.at(-1)!.last];
  const [ids] = await tx.$queryRaw<{ lo: number | null; hi: number | null }[]>`
    SELECT min(id)::int AS lo, max(id)::int AS hi FROM responses WHERE dataset_id = ${datasetId} AND question_id BETWEEN ${first} AND ${last}`;
  const [lo, hi] = [ids?.lo ?? 0, ids?.hi ?? -1];
  return Prisma.sql`
    SELECT r.question_id, j.soft_reward AS v, ${chunkOf(Prisma.sql`r.id`)} AS chunk, ${batchInRange(Prisma.sql`r.question_id`, range)} AS batch
    FROM responses r
    JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
      AND j.soft_reward IS NOT NULL AND j.response_id BETWEEN ${lo} AND ${hi}
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
  if (o.reward === "binary") return snapshot(datasetId, key, (tx) => binaryNormalisation(tx, datasetId, judge, o), { ...options, reads });
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
