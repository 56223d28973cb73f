// Set-based writes of expert labels and judgments for responses whose ids are known: shared by
// the file importer (labels and verdicts in the same rows as the responses) and the importers
// that match rows of an external file to stored responses by text.
import { Prisma } from "@/lib/db/generated/client";
import { refreshGold, type TLabelValue } from "@/lib/labels/gold";
import type { TVerdict } from "@/lib/verifier/verdict";
import type { TSql } from "@/lib/db/sql";
import { assertNotArchived } from "@/lib/judges/archive";

export type TLabelWrite = { responseId: number; annotator: string; value: TLabelValue; note?: string };
export type TJudgmentWrite = {
  responseId: number;
  /** n-th sample of the judge on this response (self-consistency); 0 when absent */
  sample?: number;
  verdict: TVerdict | null;
  pYes?: number | null;
  pNo?: number | null;
  softReward?: number | null;
  rawOutput?: string | null;
  error?: string | null;
  /** the template version the file gives the verdict; else the target's */
  templateVersion?: string | null;
};

/**
 * Adds labels (one per annotator and response; an annotator's existing label is kept as it is),
 * each with its first history row, and recomputes the gold labels they touch. Returns how many
 * were new; `added`, when given, receives the rows that were.
 */
export async function insertLabels(sql: TSql, importedById: string | null, rows: TLabelWrite[], added?: Set<TLabelWrite>): Promise<number> {
  if (rows.length === 0) return 0;
  const created = await sql.query<{ id: number; response_id: number; annotator: string; value: TLabelValue; note: string }>(Prisma.sql`
    INSERT INTO expert_labels (response_id, annotator, value, note, source)
    SELECT response_id, annotator, value::label_value, note, 'import'
    FROM unnest(
      ${rows.map((o) => o.responseId)}::int[], ${rows.map((o) => o.annotator)}::text[],
      ${rows.map((o) => o.value)}::text[], ${rows.map((o) => o.note ?? "")}::text[]
    ) AS t(response_id, annotator, value, note)
    ON CONFLICT (response_id, annotator) DO NOTHING
    RETURNING id, response_id, annotator, value::text AS value, note`);
  if (created.length > 0) {
    await sql.query(Prisma.sql`
      INSERT INTO expert_label_history (label_id, response_id, annotator, changed_by_id, old_value, new_value, new_note, version)
      SELECT label_id, response_id, annotator, ${importedById}, NULL, new_value::label_value, new_note, 1
      FROM unnest(
        ${created.map((c) => c.id)}::int[], ${created.map((c) => c.response_id)}::int[], ${created.map((c) => c.annotator)}::text[],
        ${created.map((c) => c.value)}::text[], ${created.map((c) => c.note)}::text[]
      ) AS t(label_id, response_id, annotator, new_value, new_note)`);
    await refreshGold(sql, created.map((c) => c.response_id));
  }
  if (added) {
    const key = (responseId: number, annotator: string) => `${responseId}\u0000${annotator}`;
    const made = new Set(created.map((c) => key(c.response_id, c.annotator)));
    // The first row of a key is the one written (ON CONFLICT keeps it; a repeat conflicts with it).
    for (const row of rows) if (made.delete(key(row.responseId, row.annotator))) added.add(row);
  }
  return created.length;
}

/**
 * Adds judgments; one per (response, judge, template version, sample): existing ones are kept.
 * Returns how many were new; `added`, when given, receives the rows that were.
 */
export async function insertJudgments(
  sql: TSql,
  target: { judgeId: number; runId?: number | null; templateVersion?: string },
  rows: TJudgmentWrite[],
  added?: Set<TJudgmentWrite>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const versionOf = (o: TJudgmentWrite) => o.templateVersion ?? target.templateVersion ?? "";
  const inserted = await sql.query<{ response_id: number; template_version: string; sample: number }>(Prisma.sql`
    INSERT INTO judgments (response_id, judge_id, template_version, sample, verdict, p_yes, p_no, soft_reward, raw_output, error, run_id)
    SELECT response_id, ${target.judgeId}, template_version, sample, verdict::verdict, p_yes, p_no, soft_reward, raw_output, error, ${target.runId ?? null}::int
    FROM unnest(
      ${rows.map((o) => o.responseId)}::int[], ${rows.map(versionOf)}::text[],
      ${rows.map((o) => o.sample ?? 0)}::int[], ${rows.map((o) => o.verdict)}::text[],
      ${rows.map((o) => o.pYes ?? null)}::float8[], ${rows.map((o) => o.pNo ?? null)}::float8[],
      ${rows.map((o) => o.softReward ?? null)}::float8[], ${rows.map((o) => o.rawOutput ?? null)}::text[],
      ${rows.map((o) => o.error ?? null)}::text[]
    ) AS t(response_id, template_version, sample, verdict, p_yes, p_no, soft_reward, raw_output, error)
    ON CONFLICT (response_id, judge_id, template_version, sample) DO NOTHING
    RETURNING response_id, template_version, sample`);
  if (added) {
    const key = (responseId: number, version: string, sample: number) => `${responseId}\u0000${version}\u0000${sample}`;
    const made = new Set(inserted.map((j) => key(j.response_id, j.template_version, j.sample)));
    for (const row of rows) if (made.delete(key(row.responseId, versionOf(row), row.sample ?? 0))) added.add(row);
  }
  return inserted.length;
}

/**
 * An external judge by name (created when new) and a run of this import, so its verdicts show in
 * the dataset. `versions`: the template versions the file gives the judge's verdicts (a flat
 * export's column; null where a row gives none). A judge made here takes the most common of them
 * as its current version, the one the views show; a judge that exists keeps its own (an endpoint
 * judge of this studio, whose export this may be, has it already). Rows without a version get the
 * judge's current one (`templateVersion` of the result).
 */
export async function judgeTarget(sql: TSql, datasetId: number, name: string, actorId: string | null, versions: (string | null)[] = []) {
  const [judge] = await sql.query<{ id: number; templateVersion: string; archivedAt: Date | null; created: boolean }>(Prisma.sql`
    INSERT INTO judges (name, kind, description, template_version) VALUES (${name}, 'external', 'Verdicts imported from a file.', ${mostCommon(versions) ?? ""})
    ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
    RETURNING id, template_version AS "templateVersion", archived_at AS "archivedAt", (xmax = 0) AS created`);
  // Verdicts added to an archived judge would be stored out of every view: the import stops.
  assertNotArchived({ name, archivedAt: judge!.archivedAt });
  const [run] = await sql.query<{ id: number }>(Prisma.sql`
    INSERT INTO judge_runs (judge_id, dataset_id, status, source, created_by_id, started_at, template_version)
    VALUES (${judge!.id}, ${datasetId}, 'completed', 'import', ${actorId}, now(), ${judge!.templateVersion}) RETURNING id`);
  return { judgeId: judge!.id, runId: run!.id, templateVersion: judge!.templateVersion, created: judge!.created };
}

/** The value most of `values` hold (the first of equals), leaving nulls out; null when none. */
function mostCommon(values: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)!) best = v;
  return best;
}

/**
 * Closes the import's judge runs with their counts (index judgments(run_id)), and returns a note
 * for each judge whose imported verdicts are under a template version other than its current one:
 * every view shows a judge's current version only, so they would be stored out of sight unsaid.
 * A judge this import made takes the version most of its verdicts have over the whole file (it
 * was made with the most common of the first batch that named it).
 */
export async function finishJudgeRuns(sql: TSql, targets: { runId: number; judgeId: number; created: boolean }[]): Promise<string[]> {
  if (targets.length === 0) return [];
  const runIds = targets.map((t) => t.runId);
  const made = targets.filter((t) => t.created);
  if (made.length > 0) {
    await sql.query(Prisma.sql`
      WITH common AS (
        SELECT DISTINCT ON (c.judge_id) c.judge_id, c.run_id, jd.template_version
        FROM unnest(${made.map((t) => t.runId)}::int[], ${made.map((t) => t.judgeId)}::int[]) AS c(run_id, judge_id)
        JOIN judgments jd ON jd.run_id = c.run_id
        GROUP BY c.judge_id, c.run_id, jd.template_version
        ORDER BY c.judge_id, count(*) DESC, min(jd.id)
      ), judge_set AS (
        UPDATE judges j SET template_version = common.template_version FROM common WHERE j.id = common.judge_id
      )
      UPDATE judge_runs r SET template_version = common.template_version FROM common WHERE r.id = common.run_id`);
  }
  await sql.query(Prisma.sql`
    UPDATE judge_runs r SET total = c.n, done = c.n, finished_at = now()
    FROM (SELECT id, (SELECT count(*)::int FROM judgments j WHERE j.run_id = ids.id) AS n FROM unnest(${runIds}::int[]) AS ids(id)) c
    WHERE r.id = c.id`);
  const others = await sql.query<{ judge: string; current: string; version: string; n: number }>(Prisma.sql`
    SELECT g.name AS judge, g.template_version AS current, j.template_version AS version, count(*)::int AS n
    FROM judgments j JOIN judges g ON g.id = j.judge_id
    WHERE j.run_id = ANY(${runIds}::int[]) AND j.template_version <> g.template_version
    GROUP BY g.name, g.template_version, j.template_version ORDER BY g.name, j.template_version`);
  return others.map((o) => {
    const what = o.n === 1 ? `1 verdict of judge "${o.judge}" is` : `${o.n} verdicts of judge "${o.judge}" are`;
    const version = (v: string) => (v === "" ? "no version name" : `"${v}"`);
    return `${what} under template version ${version(o.version)}, not its current ${version(o.current)}: views show a judge's current version only; import them under a judge name of their own to see them.`;
  });
}
