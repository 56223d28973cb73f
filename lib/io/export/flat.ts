// Flat judgments for analysis: one row per judgment (response x judge x template version x
// sample) with every column. Column names are the importer's field names where there is one
// (question, reference, response, policy_model, judge, verdict, ...), so a flat export re-imports
// as it is; the studio's own ids are studio_*.
import { Prisma } from "@/lib/db/generated/client";
import type { TFlatOptions } from "./options";

export const FLAT_COLUMNS = [
  "studio_response_id", "studio_question_id", "question_id", "response_id", "question", "reference", "subject", "language",
  "response", "final_step", "policy_model", "sample_index", "expert_gold_label", "judge", "judge_size", "template_version",
  "judge_sample", "verdict", "p_yes", "p_no", "soft_reward", "raw_output", "error", "latency_ms", "prompt_tokens",
  "completion_tokens", "judged_at",
] as const;

/** One row per judgment, its columns named as FLAT_COLUMNS, in file order. */
export function flatQuery(o: TFlatOptions) {
  const judges = o.judgeIds.length > 0 ? Prisma.sql`AND jd.judge_id = ANY(${o.judgeIds}::int[])` : Prisma.empty;
  // index responses(dataset_id, id), then judgments by response (unique response_id, judge_id, ...)
  return Prisma.sql`
    SELECT * FROM (
      SELECT r.id, q.id, q.external_id, r.external_id, q.text, q.reference, q.subject, q.language,
        r.text, r.final_step, r.policy_model, r.sample_index, r.gold_label::text, j.name, j.size_label, jd.template_version,
        jd.sample, jd.verdict::text, jd.p_yes, jd.p_no, jd.soft_reward, jd.raw_output, jd.error, jd.latency_ms, jd.prompt_tokens,
        jd.completion_tokens, to_char(jd.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM responses r
      JOIN questions q ON q.id = r.question_id
      JOIN judgments jd ON jd.response_id = r.id
      JOIN judges j ON j.id = jd.judge_id
      WHERE r.dataset_id = ${o.datasetId} ${judges}
      ORDER BY r.id, jd.judge_id, jd.template_version, jd.sample
    ) AS f(${Prisma.raw(FLAT_COLUMNS.map((c) => `"${c}"`).join(", "))})`;
}

/** The same rows as JSON lines, made by the server: one object per row, keys in column order. */
export function flatJsonQuery(o: TFlatOptions) {
  return Prisma.sql`SELECT row_to_json(f)::text FROM (${flatQuery(o)}) f`;
}

/** Judgments per judge and verdict ("failed" when there is none), for the manifest. */
export function flatCountsQuery(o: TFlatOptions) {
  const judges = o.judgeIds.length > 0 ? Prisma.sql`AND jd.judge_id = ANY(${o.judgeIds}::int[])` : Prisma.empty;
  return Prisma.sql`
    SELECT j.name AS judge, coalesce(jd.verdict::text, 'failed') AS verdict, count(*)::int AS n
    FROM responses r
    JOIN judgments jd ON jd.response_id = r.id
    JOIN judges j ON j.id = jd.judge_id
    WHERE r.dataset_id = ${o.datasetId} ${judges}
    GROUP BY 1, 2`;
}
