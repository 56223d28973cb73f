// The distillation SFT set (design: "a large judge's labels are distilled into a small one"):
// one chat example per judgment,
//   {"messages":[{"role":"user","content":<filled verifier template>},{"role":"assistant","content":"YES"|"NO"}]}
// (a system message first when asked), split train/validation/test by question with a seed,
// optionally balanced per split by seeded downsampling. The target is the teacher judge's
// verdict, or the expert gold label when experts labelled the item and override is on.
import { Prisma } from "@/lib/db/generated/client";
import type { TRawRow } from "./cursor";
import type { TDistillationOptions } from "./options";
import { hashSql, splitSql } from "./split";
import { templatePieces, type TPromptSpec } from "./template";

/** The fields of a row of distillationQuery: split (0-2), target, source, then the values as JSON strings. */
export const DISTILLATION_FIELDS = { split: 0, target: 1, source: 2, question: 3, response: 4, reference: 5 } as const;
const D = DISTILLATION_FIELDS;

/** The candidate items and, per item, its target (null = left out) and why. */
function candidates(o: TDistillationOptions, teacher: { id: number; templateVersion: string }, agree?: { a: { id: number; tv: string }; b: { id: number; tv: string } }) {
  const target = Prisma.sql`CASE
      WHEN ${o.expertOverride} AND r.gold_label = 'correct' THEN 'YES'
      WHEN ${o.expertOverride} AND r.gold_label = 'incorrect' THEN 'NO'
      WHEN t.verdict IN ('YES', 'NO') THEN t.verdict::text END`;
  const agreeJoin = agree
    ? Prisma.sql`LEFT JOIN judgments ja ON ja.response_id = r.id AND ja.judge_id = ${agree.a.id} AND ja.template_version = ${agree.a.tv} AND ja.sample = 0
                 LEFT JOIN judgments jb ON jb.response_id = r.id AND jb.judge_id = ${agree.b.id} AND jb.template_version = ${agree.b.tv} AND jb.sample = 0`
    : Prisma.empty;
  // Both chosen judges said YES or NO (else the item cannot agree: no judgment, a failed call or an
  // unparseable reply), and the same. Never NULL, so that every item left out is counted.
  const answered = agree ? Prisma.sql`coalesce(ja.verdict IN ('YES', 'NO') AND jb.verdict IN ('YES', 'NO'), false)` : Prisma.sql`true`;
  const agrees = agree ? Prisma.sql`coalesce(ja.verdict IN ('YES', 'NO') AND ja.verdict = jb.verdict, false)` : Prisma.sql`true`;
  // index judgments(judge_id, template_version, verdict, response_id) finds the teacher's judgments
  return Prisma.sql`
    SELECT r.id, r.key AS response_key, q.key AS question_key, q.text AS question, q.reference, r.text AS response, r.final_step,
      t.verdict::text AS teacher, ${target} AS target,
      -- expert: the experts' label, the teacher's verdict too; override: the experts' label where the teacher said otherwise (or nothing)
      CASE WHEN ${o.expertOverride} AND r.gold_label IN ('correct', 'incorrect') THEN
        CASE WHEN t.verdict::text IS DISTINCT FROM (CASE r.gold_label WHEN 'correct' THEN 'YES' ELSE 'NO' END) THEN 'override' ELSE 'expert' END
      ELSE 'teacher' END AS source,
      ${agrees} AS agrees, ${answered} AS agree_answered
    FROM judgments t
    JOIN responses r ON r.id = t.response_id
    JOIN questions q ON q.id = r.question_id
    ${agreeJoin}
    WHERE t.judge_id = ${teacher.id} AND t.template_version = ${teacher.templateVersion} AND t.sample = 0
      AND r.dataset_id = ${o.datasetId}`;
}

/**
 * One row per example, in file order: split, target, source, and the question, response (its
 * final step unless the whole response is asked for) and reference as JSON strings, escaped by
 * the server's to_json, which escapes as JSON.stringify does (quote, backslash, \b \f \n \r \t,
 * other control characters as \u00xx; everything else as is). distillationLine makes the line.
 */
export function distillationQuery(o: TDistillationOptions, teacher: { id: number; templateVersion: string }, prompt: TPromptSpec, agree?: { a: { id: number; tv: string }; b: { id: number; tv: string } }) {
  return Prisma.sql`
    WITH c AS (${candidates(o, teacher, agree)}),
    kept AS (
      SELECT c.*, ${splitSql(o.seed, Prisma.sql`c.question_key`, o.splits)} AS split, ${hashSql(o.seed, "order", Prisma.sql`c.response_key`)} AS h
      FROM c
      -- IS NOT DISTINCT FROM: a failed call (no verdict) is not unparseable; "teacher = ..." was
      -- NULL for it, which dropped the item even where an expert's label gave it its target.
      WHERE c.target IS NOT NULL AND c.agrees AND NOT (${o.dropUnparseable} AND c.teacher IS NOT DISTINCT FROM 'UNPARSEABLE')
    ),
    ranked AS (
      SELECT kept.*,
        row_number() OVER (PARTITION BY split, target ORDER BY h, id) AS rn,
        count(*) FILTER (WHERE target = 'YES') OVER (PARTITION BY split) AS n_yes,
        count(*) FILTER (WHERE target = 'NO') OVER (PARTITION BY split) AS n_no
      FROM kept
    )
    SELECT split::text, target, source, to_json(question)::text, to_json(response)::text, to_json(reference)::text
    FROM (
      -- sorted before the values are escaped (a subquery with ORDER BY is kept as it is: its
      -- output comes sorted)
      SELECT split, h, id, target, source, question, reference, ${prompt.finalStepOnly ? Prisma.sql`final_step` : Prisma.sql`response`} AS response FROM ranked
      WHERE NOT ${o.balance} OR rn <= LEAST(n_yes, n_no)
      ORDER BY split, h, id
    ) s`;
}

/**
 * The JSONL line of a row of distillationQuery, as pieces of bytes:
 *   {"messages":[{"role":"user","content":<filled template>},{"role":"assistant","content":<target>}]}
 * (a system message first when asked), i.e. JSON.stringify of the messages. JSON escaping works
 * character by character, so the escaped template's text between the escaped values (without
 * their quotes) is the escaped filled template. The template's text is escaped here once; only the
 * values come from the server.
 */
export function distillationLine(prompt: TPromptSpec): (row: TRawRow) => Buffer[] {
  const escaped = (s: string) => Buffer.from(JSON.stringify(s).slice(1, -1), "utf8");
  const system = prompt.systemMessage === null ? "" : `{"role":"system","content":${JSON.stringify(prompt.systemMessage)}},`;
  const head = Buffer.from(`{"messages":[${system}{"role":"user","content":"`, "utf8");
  const pieces = templatePieces(prompt.template).map((p) => (p.value ? D[p.value] : escaped(p.text)));
  const tails: Record<string, Buffer> = {
    YES: Buffer.from(`"},{"role":"assistant","content":"YES"}]}`),
    NO: Buffer.from(`"},{"role":"assistant","content":"NO"}]}`),
  };
  return (row) => {
    const parts: Buffer[] = [head];
    for (const p of pieces) parts.push(typeof p === "number" ? row[p]!.subarray(1, -1) : p);
    parts.push(tails[row[D.target]!.toString("latin1")]!);
    return parts;
  };
}

/**
 * The messages of a row of distillationQuery (for Parquet): the template filled with the values,
 * as distillationLine, the user message as its UTF-8 bytes (the Parquet writer takes them as
 * they are). A value without a backslash holds no JSON escape, so its bytes between the quotes
 * are the text's: only the rare value with one is parsed. Building and encoding the filled
 * template as a string cost as much as the rest of the Parquet encoding.
 */
export function distillationMessages(prompt: TPromptSpec): (row: TRawRow) => { role: string; content: string | Buffer }[] {
  const pieces = templatePieces(prompt.template).map((p) => (p.value ? D[p.value] : Buffer.from(p.text, "utf8")));
  const system = prompt.systemMessage === null ? [] : [{ role: "system", content: prompt.systemMessage }];
  const unescaped = (json: Buffer) => (json.indexOf(0x5c) < 0 ? json.subarray(1, -1) : Buffer.from(JSON.parse(json.toString("utf8")) as string, "utf8"));
  return (row) => {
    const user = Buffer.concat(pieces.map((p) => (typeof p === "number" ? unescaped(row[p]!) : p)));
    return [...system, { role: "user", content: user }, { role: "assistant", content: row[D.target]!.toString("latin1") }];
  };
}

/** Why items were left out: counted over the same candidates, for the manifest. */
export function distillationDropsQuery(o: TDistillationOptions, teacher: { id: number; templateVersion: string }, agree?: { a: { id: number; tv: string }; b: { id: number; tv: string } }) {
  return Prisma.sql`
    WITH c AS (${candidates(o, teacher, agree)})
    SELECT count(*)::int AS candidates,
      count(*) FILTER (WHERE teacher = 'UNPARSEABLE')::int AS teacher_unparseable,
      count(*) FILTER (WHERE teacher IS NULL)::int AS teacher_failed,
      count(*) FILTER (WHERE target IS NULL)::int AS no_target,
      count(*) FILTER (WHERE agree_answered AND NOT agrees)::int AS judges_disagree,
      count(*) FILTER (WHERE NOT agree_answered)::int AS judges_unanswered,
      -- over every candidate; the manifest gives those in the set (lib/io/export/run.ts)
      count(*) FILTER (WHERE source = 'override')::int AS expert_overrides,
      count(*) FILTER (WHERE target IS NOT NULL AND agrees AND ${o.dropUnparseable} AND teacher = 'UNPARSEABLE')::int AS dropped_unparseable,
      -- what the set is drawn from, before balancing (the rows of distillationQuery's "kept")
      count(*) FILTER (WHERE target IS NOT NULL AND agrees AND NOT (${o.dropUnparseable} AND teacher IS NOT DISTINCT FROM 'UNPARSEABLE'))::int AS kept
    FROM c`;
}
