// Self-consistency: items where a judge has several samples (current template version), the
// profile of YES/NO answers per item, by judge and by the sample-0 soft reward's bin (flips
// gather where the judge is unsure). Starts from the samples > 0 (judgments_analytics_idx, range
// on sample), then reads all samples of those items by the judgments unique index.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { CALIBRATION_BINS } from "./calibration";
import { selfConsistency, type TConsistency, type TSampleProfile } from "./consistency";
import { CHANGES, snapshot, type TSnapshot } from "./snapshot";
import { judgesKey, probabilityBin, type TJudgeRef } from "./sql";

type Tx = Prisma.TransactionClient;

export type TJudgeConsistency = TConsistency & {
  judgeId: number;
  /** samples per item: the largest sample count seen */
  maxSamples: number;
  /** by the bin (CALIBRATION_BINS over [0, 1]) of sample 0's soft reward; null bin = no soft reward */
  byBin: (TConsistency & { bin: number | null })[];
};


export async function consistencyOf(tx: Tx, datasetId: number, judges: readonly TJudgeRef[]): Promise<TJudgeConsistency[]> {
  const out: TJudgeConsistency[] = [];
  for (const judge of judges) {
    const rows = await tx.$queryRaw<(TSampleProfile & { bin: number | null; samples: number })[]>`
      WITH items AS (
        SELECT DISTINCT j.response_id FROM judgments j JOIN responses r ON r.id = j.response_id
        WHERE j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample > 0 AND r.dataset_id = ${datasetId}
      ), per_item AS (
        SELECT count(*) FILTER (WHERE j.verdict = 'YES')::int AS yes, count(*) FILTER (WHERE j.verdict = 'NO')::int AS no,
          count(*)::int AS samples, ${probabilityBin(Prisma.sql`max(j.soft_reward) FILTER (WHERE j.sample = 0)`, CALIBRATION_BINS)} AS bin
        FROM items i JOIN judgments j ON j.response_id = i.response_id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion}
        GROUP BY i.response_id
      )
      SELECT yes, no, bin, max(samples)::int AS samples, count(*)::int AS items FROM per_item GROUP BY yes, no, bin`;
    const bins = new Map<number | null, TSampleProfile[]>();
    for (const r of rows) bins.set(r.bin, [...(bins.get(r.bin) ?? []), r]);
    out.push({
      judgeId: judge.id,
      ...selfConsistency(rows),
      maxSamples: rows.reduce((a, r) => Math.max(a, r.samples), 0),
      byBin: [...bins.entries()].map(([bin, profiles]) => ({ bin, ...selfConsistency(profiles) })).sort((a, b) => (a.bin ?? -1) - (b.bin ?? -1)),
    });
  }
  return out;
}

export async function judgeConsistency(datasetId: number, judges: readonly TJudgeRef[], options: { fresh?: boolean } = {}): Promise<TSnapshot<TJudgeConsistency[]>> {
  return snapshot(datasetId, `consistency:${judgesKey(judges)}`, (tx) => consistencyOf(tx, datasetId, judges), { ...options, reads: CHANGES.answers });
}
