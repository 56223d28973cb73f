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
  SELECT r.question_id, ${reward === "binary" ? Prisma.sql`(j.verdict = 'YES')::int::float8` : Prisma.sql`j.soft_reward`} AS v
  FROM responses r
  JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
  WHERE r.dataset_id = ${datasetId} AND ${reward === "binary" ? Prisma.sql`j.verdict IN ('YES', 'NO')` : Prisma.sql`j.soft_reward IS NOT NULL`}`;

/** Batch number of each question of the dataset: consecutive blocks of `size` questions by id. */
const questionBatches = (datasetId: number, size: number | null) =>
  size === null
    ? Prisma.sql`SELECT id AS question_id, 0 AS batch FROM questions WHERE dataset_id = ${datasetId}`
    : Prisma.sql`SELECT id AS question_id, (row_number() OVER (ORDER BY id) - 1) / ${size}::int AS batch FROM questions WHERE dataset_id = ${datasetId}`;

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
      FROM per_question g JOIN (${questionBatches(datasetId, o.batch)}) b ON b.question_id = g.question_id
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

async function softNormalisation(tx: Tx, datasetId: number, judge: TJudgeRef, o: TNormaliseOptions): Promise<TNormalisation> {
  const std = o.ddof === 1 ? Prisma.sql`stddev_samp(v)` : Prisma.sql`stddev_pop(v)`;
  const { low, high, bins } = Z_RANGE;
  // z = 0 where std is 0 or undefined (Eq. 5); the bin formula is rewards.ts histogramBin.
  const bin = Prisma.sql`least(greatest(floor(((CASE WHEN coalesce(s.sd, 0) = 0 THEN 0 ELSE (x.v - s.m) / s.sd END) - ${low}::float8) / ${high - low}::float8 * ${bins}::float8), 0), ${bins - 1})::int`;
  const rows = await tx.$queryRaw<{ level: "group" | "batch"; bin: number; n: number }[]>`
    WITH x AS (
      SELECT w.question_id, w.v, b.batch FROM (${rewardRows(datasetId, judge, "soft")}) w
      JOIN (${questionBatches(datasetId, o.batch)}) b ON b.question_id = w.question_id
    ), by_question AS (
      SELECT question_id AS key, avg(v) AS m, ${std} AS sd FROM x GROUP BY question_id
    ), by_batch AS (
      SELECT batch AS key, avg(v) AS m, ${std} AS sd FROM x GROUP BY batch
    )
    SELECT 'group' AS level, ${bin} AS bin, count(*)::int AS n FROM x JOIN by_question s ON s.key = x.question_id GROUP BY 2
    UNION ALL
    SELECT 'batch', ${bin}, count(*)::int FROM x JOIN by_batch s ON s.key = x.batch GROUP BY 2
    UNION ALL
    SELECT 'batch-count', (count(*) FILTER (WHERE coalesce(sd, 0) = 0))::int, count(*)::int FROM by_batch`;
  const histogram = (level: string) => {
    const counts = new Array<number>(bins).fill(0);
    for (const r of rows) if (r.level === level) counts[r.bin]! += r.n;
    return counts;
  };
  const batchCount = rows.find((r) => (r.level as string) === "batch-count");
  const groupHistogram = histogram("group");
  return {
    batchHistogram: histogram("batch"),
    batches: batchCount?.n ?? 0,
    zeroVarianceBatches: batchCount?.bin ?? 0,
    groupHistogram,
    groups: null,
    rewards: groupHistogram.reduce((a, b) => a + b, 0),
  };
}

export async function rewardNormalisation(datasetId: number, judge: TJudgeRef, o: TNormaliseOptions, options: { fresh?: boolean } = {}): Promise<TSnapshot<TNormalisation>> {
  const key = `normalisation:${judge.id}@${JSON.stringify(judge.templateVersion)}:${o.reward}:${o.ddof}:${o.batch ?? "all"}`;
  // Rewards read judgments, responses and questions, never expert labels.
  return snapshot(datasetId, key, (tx) => (o.reward === "binary" ? binaryNormalisation(tx, datasetId, judge, o) : softNormalisation(tx, datasetId, judge, o)), { ...options, reads: CHANGES.answers });
}
