// Calibration of one judge's soft reward against the gold label, on the labelled items that have
// a soft reward (sample 0, current template version): per-bin sums for the reliability diagram,
// ECE and Brier score, and counts per threshold bucket for the sweep. Both use the same bin rules
// as lib/stats/calibration.ts (least(floor(p * 10), 9); width_bucket over i::float8 / 20).
// Driven by responses(dataset_id, gold_label, id), probing the judgments unique index.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { CALIBRATION_BINS, calibrationFromSums, SWEEP_STEPS, sweepFromBuckets, sweepThresholds, type TBinSums, type TCalibration, type TSweepPoint } from "./calibration";
import { snapshot, type TSnapshot } from "./snapshot";
import { probabilityBin, type TJudgeRef } from "./sql";

type Tx = Prisma.TransactionClient;

// Constants written into the SQL text (not parameters), so the arithmetic is float8 exactly as in JS.
const STEPS = Prisma.raw(String(SWEEP_STEPS));

export type TCalibrationResult = TCalibration & { sweep: TSweepPoint[] };

const scored = (datasetId: number, judge: TJudgeRef, subject: string | undefined) => Prisma.sql`
  SELECT j.soft_reward AS p, (r.gold_label = 'correct')::int AS y
  FROM responses r
  JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
  ${subject === undefined ? Prisma.empty : Prisma.sql`JOIN questions q ON q.id = r.question_id AND q.subject = ${subject}`}
  WHERE r.dataset_id = ${datasetId} AND r.gold_label IN ('correct', 'incorrect') AND j.soft_reward IS NOT NULL`;

export async function calibrationOf(tx: Tx, datasetId: number, judge: TJudgeRef, subject?: string): Promise<TCalibrationResult> {
  const sums = await tx.$queryRaw<TBinSums[]>`
    WITH s AS (${scored(datasetId, judge, subject)})
    SELECT ${probabilityBin(Prisma.sql`p`, CALIBRATION_BINS)} AS bin, count(*)::int AS n,
      sum(p)::float8 AS "sumP", sum(y)::int AS positives, sum((p - y) ^ 2)::float8 AS "sumSquaredError"
    FROM s GROUP BY 1`;
  const buckets = await tx.$queryRaw<{ bucket: number; positives: number; negatives: number }[]>`
    WITH s AS (${scored(datasetId, judge, subject)})
    SELECT width_bucket(p, ARRAY(SELECT i::float8 / ${STEPS} FROM generate_series(0, ${STEPS}) AS i)) AS bucket,
      sum(y)::int AS positives, sum(1 - y)::int AS negatives
    FROM s GROUP BY 1`;
  return { ...calibrationFromSums(sums), sweep: sweepFromBuckets(buckets, sweepThresholds()) };
}

export async function judgeCalibration(datasetId: number, judge: TJudgeRef, subject?: string, options: { fresh?: boolean } = {}): Promise<TSnapshot<TCalibrationResult>> {
  return snapshot(datasetId, `calibration:${judge.id}@${JSON.stringify(judge.templateVersion)}:${JSON.stringify(subject ?? null)}`, (tx) => calibrationOf(tx, datasetId, judge, subject), options);
}
