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

/**
 * SQL: `text` as a spreadsheet shows it rather than runs it, exactly as asSpreadsheetText
 * (components/charts/csv.ts) does: a leading apostrophe when it starts with =, +, -, @, a tab or
 * a CR and is not a plain number. The first character is compared before any pattern is tried.
 */
export function spreadsheetTextSql(text: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') AND ${text} !~* '^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?$'
    THEN '''' || ${text} ELSE ${text} END`;
}

/**
 * The judges picked, or every judge in use: an archived judge's judgments are left out unless it
 * is named (which createExport refuses), as they are of every view (lib/judges/archive.ts).
 */
function judgesCondition(o: TFlatOptions): Prisma.Sql {
  return o.judgeIds.length > 0 ? Prisma.sql`AND jd.judge_id = ANY(${o.judgeIds}::int[])` : Prisma.sql`AND j.archived_at IS NULL`;
}

/** One row per judgment, its columns named as FLAT_COLUMNS, in file order; texts guarded for spreadsheets when `guard` (CSV, ZFlatOptions.spreadsheetSafe). */
export function flatQuery(o: TFlatOptions, guard = false) {
  const judges = judgesCondition(o);
  const t = (column: string) => (guard ? spreadsheetTextSql(Prisma.raw(column)) : Prisma.raw(column));
  // index responses(dataset_id, id), then judgments by response (unique response_id, judge_id, ...)
  return Prisma.sql`
    SELECT * FROM (
      SELECT r.id, q.id, ${t("q.external_id")}, ${t("r.external_id")}, ${t("q.text")}, ${t("q.reference")}, ${t("q.subject")}, ${t("q.language")},
        ${t("r.text")}, ${t("r.final_step")}, ${t("r.policy_model")}, r.sample_index, r.gold_label::text, ${t("j.name")}, ${t("j.size_label")}, ${t("jd.template_version")},
        jd.sample, jd.verdict::text, jd.p_yes, jd.p_no, jd.soft_reward, ${t("jd.raw_output")}, ${t("jd.error")}, jd.latency_ms, jd.prompt_tokens,
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
  const judges = judgesCondition(o);
  return Prisma.sql`
    SELECT j.name AS judge, coalesce(jd.verdict::text, 'failed') AS verdict, count(*)::int AS n
    FROM responses r
    JOIN judgments jd ON jd.response_id = r.id
    JOIN judges j ON j.id = jd.judge_id
    WHERE r.dataset_id = ${o.datasetId} ${judges}
    GROUP BY 1, 2`;
}
