// The counts behind agreement: for two raters (judges, or the expert gold label) over one
// dataset, the 2x2 table of their positive/negative answers on the items both answered.
// A judge answers YES/NO (sample 0 of its current template version; UNPARSEABLE and failed
// calls are left out and counted); the expert answers with the gold label (correct/incorrect;
// unsure and unlabeled are left out).
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { agreement, type TAgreement } from "./agreement";

export type TRaterRef = { kind: "judge"; id: number; templateVersion: string; name: string } | { kind: "expert"; name: string };

export type TPairAgreement = TAgreement & {
  /** items with a YES/NO answer from this rater (before pairing) */
  answeredA: number;
  answeredB: number;
};

// Uses judgments(judge_id, template_version, verdict, response_id) and responses(dataset_id, gold_label, id).
function answers(rater: TRaterRef, datasetId: number): Prisma.Sql {
  if (rater.kind === "expert") {
    return Prisma.sql`SELECT r.id, r.gold_label = 'correct' AS pos FROM responses r
      WHERE r.dataset_id = ${datasetId} AND r.gold_label IN ('correct', 'incorrect')`;
  }
  return Prisma.sql`SELECT j.response_id AS id, j.verdict = 'YES' AS pos
    FROM judgments j JOIN responses r ON r.id = j.response_id
    WHERE r.dataset_id = ${datasetId} AND j.judge_id = ${rater.id} AND j.template_version = ${rater.templateVersion}
      AND j.sample = 0 AND j.verdict IN ('YES', 'NO')`;
}

export async function pairAgreement(datasetId: number, a: TRaterRef, b: TRaterRef): Promise<TPairAgreement> {
  const [row] = await db().$queryRaw<{ yy: number; yn: number; ny: number; nn: number; answered_a: number; answered_b: number }[]>`
    WITH a AS (${answers(a, datasetId)}), b AS (${answers(b, datasetId)})
    SELECT
      count(*) FILTER (WHERE a.pos AND b.pos)::int AS yy,
      count(*) FILTER (WHERE a.pos AND NOT b.pos)::int AS yn,
      count(*) FILTER (WHERE NOT a.pos AND b.pos)::int AS ny,
      count(*) FILTER (WHERE NOT a.pos AND NOT b.pos)::int AS nn,
      (SELECT count(*) FROM a)::int AS answered_a,
      (SELECT count(*) FROM b)::int AS answered_b
    FROM a JOIN b ON a.id = b.id`;
  const r = row!;
  return { ...agreement({ yy: r.yy, yn: r.yn, ny: r.ny, nn: r.nn }), answeredA: r.answered_a, answeredB: r.answered_b };
}

/** Raters of a dataset: its judges and the expert gold label. */
export function ratersOf(judges: { id: number; name: string; templateVersion: string; sizeLabel: string }[]): TRaterRef[] {
  return [
    ...judges.map((j) => ({ kind: "judge" as const, id: j.id, templateVersion: j.templateVersion, name: j.sizeLabel ? `${j.name} (${j.sizeLabel})` : j.name })),
    { kind: "expert" as const, name: "Experts (gold)" },
  ];
}

export const raterKey = (r: TRaterRef) => (r.kind === "expert" ? "expert" : String(r.id));
