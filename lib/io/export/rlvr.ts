// The RLVR prompt set in the released format: one row per question,
//   {"query":[{"role":"system","content":...},{"role":"user","content":<question>}],"label":<reference>}
// The system message is the one the question was imported with (kept as its `system_prompt`),
// else the one asked for, else the paper's default. Split by question with a seed.
import { Prisma } from "@/lib/db/generated/client";
import { DEFAULT_SYSTEM_MESSAGE } from "@/lib/verifier/template";
import type { TRlvrOptions } from "./options";
import { hashSql, splitSql } from "./split";

export type TRlvrRow = [questionId: number, split: number, question: string, reference: string, systemPrompt: string | null];

export function rlvrQuery(o: TRlvrOptions) {
  const subjects = o.subjects.length > 0 ? Prisma.sql`AND q.subject = ANY(${o.subjects}::text[])` : Prisma.empty;
  // index questions(dataset_id, id)
  return Prisma.sql`
    SELECT id, split, text, reference, system_prompt FROM (
      SELECT q.id, q.text, q.reference, q.metadata->>'system_prompt' AS system_prompt,
        ${splitSql(o.seed, Prisma.sql`q.key`, o.splits)} AS split, ${hashSql(o.seed, "order", Prisma.sql`q.key`)} AS h
      FROM questions q WHERE q.dataset_id = ${o.datasetId} ${subjects}
    ) s ORDER BY split, h, id`;
}

export function rlvrRecord(row: TRlvrRow, o: TRlvrOptions) {
  const [, , question, reference, system] = row;
  return {
    query: [
      { role: "system", content: system ?? o.systemPrompt ?? DEFAULT_SYSTEM_MESSAGE },
      { role: "user", content: question },
    ],
    label: reference,
  };
}
