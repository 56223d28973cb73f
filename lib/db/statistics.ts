// Refreshing the planner's statistics of the tables the studio's reads are planned on. Without
// current ones, a freshly filled table is planned as if it were tiny (the slow way) until
// autovacuum comes by, a minute or more later; the embedded database has no autovacuum at all.

/** Every column of the analysed tables: after the demo is loaded, and each round of the embedded database's refresher. */
export const ANALYZE_ALL = "ANALYZE questions, responses, judgments, expert_labels";

// After an import: the columns queries filter, join and group on, of the tables it wrote (by the
// import's counts' names). The long texts' statistics, the costliest part of a full ANALYZE (it
// sorts the sampled texts) and of no use to the plans the studio's reads take, are left to
// autovacuum (and, on the embedded database, to the refresher's ANALYZE_ALL).
const RESPONSES: [table: string, columns: string] = ["responses", "id, question_id, dataset_id, policy_model, sample_index, text_length, gold_label"];
const ANALYZE_COLUMNS: Record<string, [table: string, columns: string][]> = {
  questions: [["questions", "id, dataset_id, subject"]],
  responses: [RESPONSES],
  judgments: [["judgments", "id, response_id, judge_id, template_version, sample, verdict, soft_reward, run_id, error_kind"]],
  // expert labels move the responses' gold labels
  labels: [["expert_labels", "id, response_id, annotator, value"], RESPONSES],
};

/** ANALYZE of what an import with these counts wrote (made of the constants above only); null when it wrote nothing. */
export function analyzeStatement(counts: Record<string, number>): string | null {
  const tables = new Map(Object.keys(ANALYZE_COLUMNS).filter((k) => (counts[k] ?? 0) > 0).flatMap((k) => ANALYZE_COLUMNS[k]!));
  return tables.size === 0 ? null : `ANALYZE ${[...tables].map(([table, columns]) => `${table} (${columns})`).join(", ")}`;
}
