// The fast write path on a Postgres server: look up which rows of a batch already exist, reserve
// ids for the new ones from the table's sequence, and COPY them in (COPY inserts rows in bulk,
// several times faster than INSERT ... SELECT FROM unnest). The embedded database cannot COPY
// over its socket, so there the unnest path of import-items.ts runs instead.
// Concurrent imports into one dataset queue on the dataset row the import job locks first; any
// other writer racing on the same keys makes COPY fail on the unique index, which rolls the
// import back whole (run it again).
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { from as copyFrom } from "pg-copy-streams";
import { Prisma } from "@/lib/db/generated/client";
import type { TSql } from "@/lib/db/sql";
import type { TValidQuestion, TValidResponse } from "./validate-item";

export type TWritten = { id: number; key: string; inserted: boolean; text_md5: string; reference_md5?: string };

/** True when `sql` is a pg connection to a server that accepts COPY FROM STDIN (not the embedded database). */
export async function canCopy(sql: TSql): Promise<boolean> {
  if (!sql.client) return false;
  const [row] = await sql.query<{ version: string }>(Prisma.sql`SELECT version()`);
  return !row!.version.includes("PGlite");
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
/** COPY text format: backslash, tab, newline and CR escaped; null as \N. */
function field(v: string | number | null): string {
  if (v === null) return "\\N";
  const s = String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : s;
}
const line = (values: (string | number | null)[]) => values.map(field).join("\t") + "\n";

async function copy(sql: TSql, statement: string, lines: string[]) {
  // `statement` is one of the two constant COPY statements below, never built from input.
  const stream = sql.client!.query(copyFrom(statement));
  await pipeline(Readable.from(chunks(lines)), stream);
}

function* chunks(lines: string[]) {
  let buffer = "";
  for (const l of lines) {
    buffer += l;
    if (buffer.length > 1 << 20) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer) yield buffer;
}

async function reserveIds(sql: TSql, table: "questions" | "responses", n: number): Promise<number[]> {
  const sequence = table === "questions" ? "questions_id_seq" : "responses_id_seq";
  const rows = await sql.query<{ id: number }>(Prisma.sql`SELECT nextval(${sequence}::regclass)::int AS id FROM generate_series(1, ${n})`);
  return rows.map((r) => r.id);
}

export async function copyQuestions(sql: TSql, datasetId: number, qs: TValidQuestion[]): Promise<TWritten[]> {
  // index questions(dataset_id, key)
  const existing = await sql.query<TWritten>(Prisma.sql`
    SELECT id, key, false AS inserted, md5(text) AS text_md5, md5(reference) AS reference_md5
    FROM questions WHERE dataset_id = ${datasetId} AND key = ANY(${qs.map((q) => q.key)}::text[])`);
  const seen = new Set(existing.map((e) => e.key));
  const fresh = qs.filter((q) => !seen.has(q.key));
  if (fresh.length === 0) return existing;
  const ids = await reserveIds(sql, "questions", fresh.length);
  await copy(
    sql,
    "COPY questions (id, dataset_id, key, external_id, text, reference, subject, language, metadata) FROM STDIN",
    fresh.map((q, i) => line([ids[i]!, datasetId, q.key, q.externalId, q.text, q.reference, q.subject, q.language, q.metadata])),
  );
  return [...existing, ...fresh.map((q, i) => ({ id: ids[i]!, key: q.key, inserted: true, text_md5: "", reference_md5: "" }))];
}

export type TResponseInput = { questionId: number; isNewQuestion: boolean; response: TValidResponse };

export async function copyResponses(sql: TSql, datasetId: number, rs: TResponseInput[]): Promise<(TWritten & { question_id: number })[]> {
  // Responses of questions created in this batch cannot exist yet: only the others are looked up
  // (index responses(question_id, key)).
  const old = rs.filter((r) => !r.isNewQuestion);
  const existing =
    old.length === 0
      ? []
      : await sql.query<TWritten & { question_id: number }>(Prisma.sql`
          SELECT r.id, r.question_id, r.key, false AS inserted, md5(r.text) AS text_md5
          FROM responses r JOIN unnest(${old.map((r) => r.questionId)}::int[], ${old.map((r) => r.response.key)}::text[]) AS i(question_id, key)
            ON r.question_id = i.question_id AND r.key = i.key`);
  const seen = new Set(existing.map((e) => `${e.question_id}\u0000${e.key}`));
  const fresh = rs.filter((r) => !seen.has(`${r.questionId}\u0000${r.response.key}`));
  if (fresh.length === 0) return existing;
  const ids = await reserveIds(sql, "responses", fresh.length);
  await copy(
    sql,
    "COPY responses (id, question_id, dataset_id, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata) FROM STDIN",
    fresh.map(({ questionId, response: r }, i) => line([ids[i]!, questionId, datasetId, r.key, r.externalId, r.policyModel, r.sampleIndex, r.text, r.finalStep, r.textLength, r.metadata])),
  );
  return [...existing, ...fresh.map((r, i) => ({ id: ids[i]!, question_id: r.questionId, key: r.response.key, inserted: true, text_md5: "" }))];
}
