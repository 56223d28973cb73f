// The RLVR prompt set in the released format: one row per question,
//   {"query":[{"role":"system","content":...},{"role":"user","content":<question>}],"label":<reference>}
// The system message is the one the question was imported with (kept as its `system_prompt`),
// else the one asked for, else the paper's default. Split by question with a seed. The line is
// made by the server (to_json escapes as JSON.stringify does).
import { Prisma } from "@/lib/db/generated/client";
import { DEFAULT_SYSTEM_MESSAGE } from "@/lib/verifier/template";
import type { TRlvrOptions } from "./options";
import { hashSql, splitSql } from "./split";

/** The fields of a row of rlvrQuery: split (0-2), the JSONL line, then (for Parquet) system message, question, reference. */
export const RLVR_FIELDS = { split: 0, line: 1, system: 2, question: 3, reference: 4 } as const;

export function rlvrQuery(o: TRlvrOptions) {
  const subjects = o.subjects.length > 0 ? Prisma.sql`AND q.subject = ANY(${o.subjects}::text[])` : Prisma.empty;
  const parts = o.parquet ? Prisma.sql`system, text, reference` : Prisma.sql`NULL::text, NULL::text, NULL::text`;
  // index questions(dataset_id, id)
  return Prisma.sql`
    SELECT split::text,
      '{"query":[{"role":"system","content":' || to_json(system)::text || '},{"role":"user","content":' || to_json(text)::text
        || '}],"label":' || to_json(reference)::text || '}',
      ${parts}
    FROM (
      SELECT q.id, q.text, q.reference, coalesce(q.metadata->>'system_prompt', ${o.systemPrompt ?? DEFAULT_SYSTEM_MESSAGE}::text) AS system,
        ${splitSql(o.seed, Prisma.sql`q.key`, o.splits)} AS split, ${hashSql(o.seed, "order", Prisma.sql`q.key`)} AS h
      FROM questions q WHERE q.dataset_id = ${o.datasetId} ${subjects}
    ) s ORDER BY split, h, id`;
}
