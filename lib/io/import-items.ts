// Importing questions with their references and (optionally) responses: the one write path for
// the demo loader, the CLI and the upload wizard. Rows arrive as a stream, are validated one by
// one (bad rows are reported, not fatal), and are written in set-based batches:
// INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING, which works the same on a Postgres
// server and on the embedded database (where COPY FROM STDIN does not).
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { extractFinalStep } from "@/lib/verifier/final-step";
import { batches } from "./batch";
import { questionKey, responseKey } from "./keys";
import { emptySummary, type TImportSummary, type TReject } from "./types";

export type TItemRow = {
  line: number;
  question: unknown;
  reference: unknown;
  response?: unknown;
  policyModel?: unknown;
  sampleIndex?: unknown;
  subject?: unknown;
  language?: unknown;
  questionExternalId?: unknown;
  responseExternalId?: unknown;
  questionMetadata?: Record<string, unknown>;
  responseMetadata?: Record<string, unknown>;
};

type TValidItem = {
  line: number;
  question: { key: string; externalId: string | null; text: string; reference: string; subject: string | null; language: string | null; metadata: string };
  response: { key: string; externalId: string | null; policyModel: string; sampleIndex: number; text: string; finalStep: string; textLength: number; metadata: string } | null;
};

export type TItemsSummary = TImportSummary & { questionsInserted: number; responsesInserted: number };

type Db = PrismaClient | Prisma.TransactionClient;

const text = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
};

export function validateItem(row: TItemRow): TValidItem | TReject {
  const reject = (field: string, reason: string): TReject => ({ line: row.line, field, reason });
  const question = text(row.question);
  if (question === null || question.trim() === "") return reject("question", "missing question text");
  const reference = text(row.reference);
  if (reference === null || reference.trim() === "") return reject("reference", "missing reference answer");
  const qExternal = text(row.questionExternalId);
  const q = {
    externalId: qExternal && qExternal.trim() !== "" ? qExternal.trim() : null,
    text: question,
    reference,
    subject: text(row.subject)?.trim() || null,
    language: text(row.language)?.trim() || null,
    metadata: JSON.stringify(row.questionMetadata ?? {}),
  };
  const item: TValidItem = { line: row.line, question: { ...q, key: questionKey(q) }, response: null };

  if (row.response !== undefined && row.response !== null) {
    const response = text(row.response);
    if (response === null) return reject("response", "response must be text");
    let sampleIndex = 0;
    if (row.sampleIndex !== undefined && row.sampleIndex !== null && row.sampleIndex !== "") {
      sampleIndex = Number(row.sampleIndex);
      if (!Number.isInteger(sampleIndex) || sampleIndex < 0) return reject("sample_index", "must be a whole number >= 0");
    }
    const rExternal = text(row.responseExternalId);
    const r = {
      externalId: rExternal && rExternal.trim() !== "" ? rExternal.trim() : null,
      policyModel: text(row.policyModel)?.trim() ?? "",
      sampleIndex,
      text: response,
      finalStep: extractFinalStep(response),
      // characters, as Postgres' length() counts them (code points, not UTF-16 units)
      textLength: [...response].length,
      metadata: JSON.stringify(row.responseMetadata ?? {}),
    };
    item.response = { ...r, key: responseKey(r) };
  }
  return item;
}

/**
 * Imports a stream of rows into `datasetId`. A row counts as inserted when it added its response
 * (or, for a row without a response, its question), and as skipped when that was there already.
 * Run it inside a transaction for all-or-nothing.
 */
export async function importItems(
  prisma: Db,
  datasetId: number,
  rows: AsyncIterable<TItemRow> | Iterable<TItemRow>,
  options: { batchSize?: number; onProgress?: (summary: TItemsSummary) => void } = {},
): Promise<TItemsSummary> {
  const summary: TItemsSummary = { ...emptySummary(), questionsInserted: 0, responsesInserted: 0 };
  for await (const batch of batches(rows, options.batchSize ?? 2000)) {
    const valid: TValidItem[] = [];
    for (const row of batch) {
      summary.read++;
      const result = validateItem(row);
      if ("reason" in result) summary.rejected.push(result);
      else valid.push(result);
    }
    const questions = await upsertQuestions(prisma, datasetId, valid);
    const newResponses = await insertResponses(prisma, datasetId, valid, questions.ids);
    summary.questionsInserted += questions.inserted.size;
    summary.responsesInserted += newResponses.size;
    for (const item of valid) {
      const isNew = item.response
        ? newResponses.delete(`${questions.ids.get(item.question.key)}\u0000${item.response.key}`)
        : questions.inserted.delete(item.question.key);
      if (isNew) summary.inserted++;
      else summary.skipped++;
    }
    options.onProgress?.(summary);
  }
  return summary;
}

async function upsertQuestions(prisma: Db, datasetId: number, items: TValidItem[]) {
  const unique = new Map<string, TValidItem["question"]>();
  for (const item of items) if (!unique.has(item.question.key)) unique.set(item.question.key, item.question);
  const qs = [...unique.values()];
  const ids = new Map<string, number>();
  const inserted = new Set<string>();
  if (qs.length === 0) return { ids, inserted };
  // The second SELECT sees the table as it was before this statement: together the two halves
  // return every key once, with `inserted` telling which ones are new.
  const rows = await prisma.$queryRaw<{ id: number; key: string; inserted: boolean }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${qs.map((q) => q.key)}::text[], ${qs.map((q) => q.externalId)}::text[],
        ${qs.map((q) => q.text)}::text[], ${qs.map((q) => q.reference)}::text[],
        ${qs.map((q) => q.subject)}::text[], ${qs.map((q) => q.language)}::text[],
        ${qs.map((q) => q.metadata)}::text[]
      ) AS t(key, external_id, text, reference, subject, language, metadata)
    ), inserted AS (
      INSERT INTO questions (dataset_id, key, external_id, text, reference, subject, language, metadata)
      SELECT ${datasetId}, key, external_id, text, reference, subject, language, metadata::jsonb FROM input
      ON CONFLICT (dataset_id, key) DO NOTHING
      RETURNING id, key
    )
    SELECT id, key, true AS inserted FROM inserted
    UNION ALL
    SELECT q.id, q.key, false FROM questions q JOIN input i ON i.key = q.key WHERE q.dataset_id = ${datasetId}`;
  for (const row of rows) {
    ids.set(row.key, row.id);
    if (row.inserted) inserted.add(row.key);
  }
  return { ids, inserted };
}

/** Inserts the rows' responses; returns "questionId NUL key" of those that were new. */
async function insertResponses(prisma: Db, datasetId: number, items: TValidItem[], questionIds: Map<string, number>) {
  const unique = new Map<string, { questionId: number; response: NonNullable<TValidItem["response"]> }>();
  for (const item of items) {
    if (!item.response) continue;
    const questionId = questionIds.get(item.question.key)!;
    const id = `${questionId}\u0000${item.response.key}`;
    if (!unique.has(id)) unique.set(id, { questionId, response: item.response });
  }
  const rs = [...unique.values()];
  const created = new Set<string>();
  if (rs.length === 0) return created;
  const rows = await prisma.$queryRaw<{ question_id: number; key: string }[]>`
    INSERT INTO responses (question_id, dataset_id, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata)
    SELECT question_id, ${datasetId}, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata::jsonb
    FROM unnest(
      ${rs.map((r) => r.questionId)}::int[], ${rs.map((r) => r.response.key)}::text[],
      ${rs.map((r) => r.response.externalId)}::text[], ${rs.map((r) => r.response.policyModel)}::text[],
      ${rs.map((r) => r.response.sampleIndex)}::int[], ${rs.map((r) => r.response.text)}::text[],
      ${rs.map((r) => r.response.finalStep)}::text[], ${rs.map((r) => r.response.textLength)}::int[],
      ${rs.map((r) => r.response.metadata)}::text[]
    ) AS t(question_id, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata)
    ON CONFLICT (question_id, key) DO NOTHING
    RETURNING question_id, key`;
  for (const row of rows) created.add(`${row.question_id}\u0000${row.key}`);
  return created;
}
