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
import { isEmbeddedVersion } from "@/lib/db/connection";
import type { TSql } from "@/lib/db/sql";
import type { TValidQuestion, TValidResponse } from "./validate-item";

export type TWritten = { id: number; key: string; inserted: boolean; text_md5: string; reference_md5?: string };

/** True when `sql` is a pg connection to a server that accepts COPY FROM STDIN (not the embedded database). */
export async function canCopy(sql: TSql): Promise<boolean> {
  if (!sql.client) return false;
  const [row] = await sql.query<{ version: string }>(Prisma.sql`SELECT version()`);
  return !isEmbeddedVersion(row!.version);
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
/** COPY text format: backslash, tab, newline and CR escaped; null as \N. */
function field(v: string | number | null): string {
  if (v === null) return "\\N";
  const s = String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : s;
}

/**
 * Encodes the fields of a row that do not depend on ids (all but id, question_id, dataset_id):
 * the importer calls this while the previous batch is being written, so the write itself only
 * prefixes the ids.
 */
export function prepareCopy(item: { question: TValidQuestion; response: TValidResponse | null }) {
  questionCopy(item.question);
  if (item.response) responseCopy(item.response);
}
const questionCopy = (q: TValidQuestion) => (q.copy ??= [q.key, q.externalId, q.text, q.reference, q.subject, q.language, q.metadata].map(field).join("\t"));
const responseCopy = (r: TValidResponse) =>
  (r.copy ??= [r.key, r.externalId, r.policyModel, r.sampleIndex, r.text, r.finalStep, r.textLength, r.metadata].map(field).join("\t"));

async function copy(sql: TSql, statement: string, lines: Iterable<string>) {
  // `statement` is one of the two constant COPY statements below, never built from input.
  const stream = sql.client!.query(copyFrom(statement));
  await pipeline(Readable.from(chunks(lines)), stream);
}

/** Lines joined into chunks of about 1 MB. */
function* chunks(lines: Iterable<string>) {
  let parts: string[] = [];
  let size = 0;
  for (const l of lines) {
    parts.push(l);
    size += l.length;
    if (size > 1 << 20) {
      yield parts.join("");
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join("");
}

async function reserveResponseIds(sql: TSql, n: number): Promise<number[]> {
  // One row holding an array: cheaper to receive than n rows. (Questions get theirs in their lookup.)
  const [row] = await sql.query<{ ids: number[] }>(Prisma.sql`SELECT array_agg(nextval('responses_id_seq'::regclass)::int) AS ids FROM generate_series(1, ${n})`);
  return row!.ids;
}

export async function copyQuestions(sql: TSql, datasetId: number, qs: TValidQuestion[]): Promise<TWritten[]> {
  // One round trip: each key's existing id (index questions(dataset_id, key), probed with the
  // whole array) or, for a new one, an id from the sequence (COALESCE evaluates nextval only
  // when there is none).
  const keys = qs.map((q) => q.key);
  const rows = await sql.query<{ id: number; inserted: boolean; text_md5: string | null; reference_md5: string | null }>(Prisma.sql`
    WITH found AS MATERIALIZED (
      SELECT id, key,
        CASE WHEN external_id IS NOT NULL THEN md5(text) END AS text_md5,
        CASE WHEN external_id IS NOT NULL THEN md5(reference) END AS reference_md5
      FROM questions WHERE dataset_id = ${datasetId} AND key = ANY(${keys}::text[])
    )
    SELECT coalesce(f.id, nextval('questions_id_seq'::regclass)::int) AS id, f.id IS NULL AS inserted, f.text_md5, f.reference_md5
    FROM unnest(${keys}::text[]) WITH ORDINALITY AS i(key, n) LEFT JOIN found f ON f.key = i.key
    ORDER BY i.n`);
  const written = rows.map((row, i): TWritten => ({ id: row.id, key: qs[i]!.key, inserted: row.inserted, text_md5: row.text_md5 ?? "", reference_md5: row.reference_md5 ?? "" }));
  if (written.some((w) => w.inserted)) {
    await copy(sql, "COPY questions (id, dataset_id, key, external_id, text, reference, subject, language, metadata) FROM STDIN", freshLines(qs, written, datasetId));
  }
  return written;
}

function* freshLines(qs: TValidQuestion[], written: TWritten[], datasetId: number) {
  for (let i = 0; i < qs.length; i++) {
    if (!written[i]!.inserted) continue;
    yield `${written[i]!.id}\t${datasetId}\t${questionCopy(qs[i]!)}\n`;
  }
}

export type TResponseInput = { questionId: number; isNewQuestion: boolean; response: TValidResponse };

export async function copyResponses(sql: TSql, datasetId: number, rs: TResponseInput[]): Promise<(TWritten & { question_id: number })[]> {
  // Responses of questions created in this batch cannot exist yet: only the others are looked up
  // (index responses(question_id, key)).
  const old = rs.filter((r) => !r.isNewQuestion);
  // Rows come back by their place in `old`, not by their keys; the text's digest only where an
  // external id names the row (a content-hash key already says the text is the same). One probe
  // of the unique index per pair: LIMIT 1 keeps the planner from joining the pairs to a scan of
  // the whole table by hash, as it did knowing there were 5,000 of them (133 ms a batch against
  // 10 ms at 100k responses, and growing with the table).
  const found =
    old.length === 0
      ? []
      : await sql.query<{ id: number; n: number; text_md5: string | null }>(Prisma.sql`
          SELECT r.id, i.n::int AS n, CASE WHEN r.external_id IS NOT NULL THEN md5(r.text) END AS text_md5
          FROM unnest(${old.map((r) => r.questionId)}::int[], ${old.map((r) => r.response.key)}::text[]) WITH ORDINALITY AS i(question_id, key, n)
          CROSS JOIN LATERAL (SELECT id, external_id, text FROM responses WHERE question_id = i.question_id AND key = i.key LIMIT 1) r`);
  const existing = found.map((row) => {
    const r = old[row.n - 1]!;
    return { id: row.id, question_id: r.questionId, key: r.response.key, inserted: false, text_md5: row.text_md5 ?? "" };
  });
  const seen = new Set(existing.map((e) => `${e.question_id}\u0000${e.key}`));
  const fresh = existing.length === 0 ? rs : rs.filter((r) => !seen.has(`${r.questionId}\u0000${r.response.key}`));
  if (fresh.length === 0) return existing;
  const ids = await reserveResponseIds(sql, fresh.length);
  await copy(
    sql,
    "COPY responses (id, question_id, dataset_id, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata) FROM STDIN",
    (function* () {
      for (let i = 0; i < fresh.length; i++) {
        const { questionId, response } = fresh[i]!;
        yield `${ids[i]}\t${questionId}\t${datasetId}\t${responseCopy(response)}\n`;
      }
    })(),
  );
  return [...existing, ...fresh.map((r, i) => ({ id: ids[i]!, question_id: r.questionId, key: r.response.key, inserted: true, text_md5: "" }))];
}
