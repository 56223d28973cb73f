// Importing questions with their references and (optionally) responses, expert labels and
// judges' verdicts: the one write path for the demo loader, the CLI, the REST API and the upload
// wizard. Rows arrive as a stream, are validated one by one (bad rows are reported, not fatal),
// and are written in set-based batches: INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING,
// which works the same on a Postgres server and on the embedded database (where COPY FROM STDIN
// does not). Run it inside a transaction for all-or-nothing.
//
// Identity (lib/io/keys.ts): a row whose id is already in the dataset with a different question,
// reference or response text is rejected, never merged: "the same id" must mean the same data.
import { createHash } from "node:crypto";
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { batches, readAhead } from "./batch";
import { emptySummary, type TImportSummary, type TReject } from "./types";
import { validateItem, type TItemDefaults, type TItemRow, type TValidItem, type TValidQuestion } from "./validate-item";
import { insertJudgments, insertLabels, judgeTarget, finishJudgeRuns, type TJudgmentWrite, type TLabelWrite } from "./write-attached";
import { withoutUserAnnotators } from "./annotators";
import { isSql, prismaSql, type TSql } from "@/lib/db/sql";
import { canCopy, copyQuestions, copyResponses, prepareCopy, type TWritten } from "./copy-write";

export type { TItemRow } from "./validate-item";
export { validateItem } from "./validate-item";

export type TItemsSummary = TImportSummary & {
  questionsInserted: number;
  responsesInserted: number;
  labelsInserted: number;
  judgmentsInserted: number;
  /** what the importer should know besides the counts (verdicts stored out of the views' sight) */
  notes: string[];
};

type Db = PrismaClient | Prisma.TransactionClient | TSql;

export type TImportItemsOptions = {
  batchSize?: number;
  defaults?: TItemDefaults;
  /** who imported (expert label history, judge runs) */
  actorId?: string | null;
  onProgress?: (summary: TItemsSummary) => void;
  /** rejects are handed over as they happen instead of kept in the summary (huge files) */
  onReject?: (reject: TReject) => void;
};

const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

/**
 * Imports a stream of rows into `datasetId`. A row counts as inserted when it added its response
 * (or, for a row without a response, its question), and as skipped when that was there already.
 */
export async function importItems(
  prisma: Db,
  datasetId: number,
  rows: AsyncIterable<TItemRow> | Iterable<TItemRow>,
  options: TImportItemsOptions = {},
): Promise<TItemsSummary> {
  const sql = isSql(prisma) ? prisma : prismaSql(prisma);
  const useCopy = await canCopy(sql);
  const summary: TItemsSummary = { ...emptySummary(), questionsInserted: 0, responsesInserted: 0, labelsInserted: 0, judgmentsInserted: 0, notes: [] };
  const reject = (r: TReject) => {
    if (options.onReject) options.onReject(r);
    else summary.rejected.push(r);
    rejectedCount++;
  };
  let rejectedCount = 0;
  const judges = new Map<string, Awaited<ReturnType<typeof judgeTarget>>>();
  // Reading and validating the next batch overlaps with writing this one (readAhead).
  async function* validated() {
    for await (const batch of batches(rows, options.batchSize ?? 5000)) {
      const valid: TValidItem[] = [];
      for (const row of batch) {
        summary.read++;
        const result = validateItem(row, options.defaults);
        if ("reason" in result) reject(result);
        else {
          if (useCopy) prepareCopy(result);
          valid.push(result);
        }
      }
      yield valid;
    }
  }
  for await (const batch of readAhead(validated())) {
    const valid = await withoutUserAnnotators(sql, options.actorId ?? null, batch, (v) => v.label?.annotator, reject);
    const questions = await upsertQuestions(sql, useCopy, datasetId, valid, reject);
    const withQuestion = valid.filter((v) => questions.ids.has(v.question.key) && !questions.conflicts.has(v));
    const responses = await upsertResponses(sql, useCopy, datasetId, withQuestion, questions.ids, new Set([...questions.inserted].map((k) => questions.ids.get(k)!)), reject);
    summary.questionsInserted += questions.inserted.size;
    summary.responsesInserted += responses.inserted.size;
    // A row whose response was there already is new when it adds its label or its verdict.
    const placed: { item: TValidItem; responseId: number; fresh: boolean }[] = [];
    for (const item of withQuestion) {
      const questionId = questions.ids.get(item.question.key)!;
      if (!item.response) {
        if (questions.inserted.delete(item.question.key)) summary.inserted++;
        else summary.skipped++;
        continue;
      }
      const id = `${questionId}\u0000${item.response.key}`;
      const responseId = responses.ids.get(id);
      if (responseId === undefined || responses.conflicts.has(item)) continue; // rejected as a conflict
      const fresh = responses.inserted.delete(id);
      if (fresh) summary.inserted++;
      placed.push({ item, responseId, fresh });
    }
    const adding = new Set<(typeof placed)[number]>();
    const labels = new Map<TLabelWrite, (typeof placed)[number]>(placed.filter((p) => p.item.label).map((p) => [{ responseId: p.responseId, annotator: p.item.label!.annotator, value: p.item.label!.value }, p]));
    const labelsAdded = new Set<TLabelWrite>();
    summary.labelsInserted += await insertLabels(sql, options.actorId ?? null, [...labels.keys()], labelsAdded);
    for (const row of labelsAdded) adding.add(labels.get(row)!);
    const byJudge = new Map<string, typeof placed>();
    for (const p of placed) if (p.item.judgment) byJudge.set(p.item.judgment.judge, [...(byJudge.get(p.item.judgment.judge) ?? []), p]);
    for (const [name, list] of byJudge) {
      const target = judges.get(name) ?? (await judgeTarget(sql, datasetId, name, options.actorId ?? null, list.map((p) => p.item.judgment!.templateVersion)));
      judges.set(name, target);
      const verdicts = new Map<TJudgmentWrite, (typeof placed)[number]>(list.map((p) => [{ responseId: p.responseId, ...p.item.judgment! }, p]));
      const verdictsAdded = new Set<TJudgmentWrite>();
      summary.judgmentsInserted += await insertJudgments(sql, target, [...verdicts.keys()], verdictsAdded);
      for (const row of verdictsAdded) adding.add(verdicts.get(row)!);
    }
    for (const p of placed) {
      if (p.fresh) continue;
      if (adding.has(p)) summary.inserted++;
      else summary.skipped++;
    }
    options.onProgress?.({ ...summary, rejected: options.onReject ? new Array(rejectedCount) : summary.rejected });
  }
  summary.notes = await finishJudgeRuns(sql, [...judges.values()]);
  if (options.onReject) summary.rejected = new Array(rejectedCount);
  return summary;
}

async function upsertQuestions(sql: TSql, useCopy: boolean, datasetId: number, items: TValidItem[], reject: (r: TReject) => void) {
  const unique = new Map<string, TValidItem>();
  const ids = new Map<string, number>();
  const inserted = new Set<string>();
  const conflicts = new Set<TValidItem>();
  for (const item of items) {
    const first = unique.get(item.question.key);
    if (!first) unique.set(item.question.key, item);
    else if (first.question.text !== item.question.text || first.question.reference !== item.question.reference) {
      reject({ line: item.line, field: "question_id", reason: `question id "${item.question.externalId}" is used on line ${first.line} with a different question or reference` });
      conflicts.add(item);
    }
  }
  const qs = [...unique.values()].map((i) => i.question);
  if (qs.length === 0) return { ids, inserted, conflicts };
  // The second SELECT sees the table as it was before this statement: together the two halves
  // return every key once, with `inserted` telling which ones are new (index questions(dataset_id, key)).
  const rows = useCopy ? await copyQuestions(sql, datasetId, qs) : await unnestQuestions(sql, datasetId, qs);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  for (const item of items) {
    if (conflicts.has(item)) continue;
    const row = byKey.get(item.question.key)!;
    if (!row.inserted && item.question.externalId && (row.text_md5 !== md5(item.question.text) || row.reference_md5 !== md5(item.question.reference))) {
      reject({ line: item.line, field: "question_id", reason: `question id "${item.question.externalId}" is already in the dataset with a different question or reference` });
      continue;
    }
    ids.set(item.question.key, row.id);
    if (row.inserted) inserted.add(row.key);
  }
  // A key rejected on one line must not be used by later lines of the batch either.
  for (const [key] of byKey) if (!ids.has(key)) inserted.delete(key);
  return { ids, inserted, conflicts };
}

/** Inserts the rows' responses; returns the id of every row's response and which ones are new. */
async function upsertResponses(
  sql: TSql,
  useCopy: boolean,
  datasetId: number,
  items: TValidItem[],
  questionIds: Map<string, number>,
  newQuestions: Set<number>,
  reject: (r: TReject) => void,
) {
  const unique = new Map<string, { questionId: number; item: TValidItem }>();
  const conflicts = new Set<TValidItem>();
  for (const item of items) {
    if (!item.response) continue;
    const questionId = questionIds.get(item.question.key)!;
    const id = `${questionId}\u0000${item.response.key}`;
    const first = unique.get(id);
    if (!first) unique.set(id, { questionId, item });
    else if (first.item.response!.text !== item.response.text) {
      reject({ line: item.line, field: "response_id", reason: `response id "${item.response.externalId}" is used on line ${first.item.line} with a different response` });
      conflicts.add(item);
    }
  }
  const ids = new Map<string, number>();
  const inserted = new Set<string>();
  const rs = [...unique.values()];
  if (rs.length === 0) return { ids, inserted, conflicts };
  // Same two-halves pattern as questions (index responses(question_id, key)).
  const rows = useCopy
    ? await copyResponses(sql, datasetId, rs.map((r) => ({ questionId: r.questionId, isNewQuestion: newQuestions.has(r.questionId), response: r.item.response! })))
    : await unnestResponses(sql, datasetId, rs);
  const byId = new Map(rows.map((r) => [`${r.question_id}\u0000${r.key}`, r]));
  for (const { questionId, item } of unique.values()) {
    const id = `${questionId}\u0000${item.response!.key}`;
    const row = byId.get(id)!;
    if (!row.inserted && item.response!.externalId && row.text_md5 !== md5(item.response!.text)) {
      reject({ line: item.line, field: "response_id", reason: `response id "${item.response!.externalId}" is already in the dataset with a different response` });
      continue;
    }
    ids.set(id, row.id);
    if (row.inserted) inserted.add(id);
  }
  return { ids, inserted, conflicts };
}

/** The unnest path (embedded database, Prisma transactions): insert the new, return every key once. */
async function unnestQuestions(sql: TSql, datasetId: number, qs: TValidQuestion[]): Promise<TWritten[]> {
  // The second SELECT sees the table as it was before this statement: together the two halves
  // return every key once, with `inserted` telling which ones are new (index questions(dataset_id, key)).
  return sql.query<TWritten>(Prisma.sql`
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
    SELECT id, key, true AS inserted, '' AS text_md5, '' AS reference_md5 FROM inserted
    UNION ALL
    SELECT q.id, q.key, false, md5(q.text), md5(q.reference) FROM input i
    -- one probe of the unique index per key (see copy-write.ts copyResponses)
    CROSS JOIN LATERAL (SELECT id, key, text, reference FROM questions WHERE dataset_id = ${datasetId} AND key = i.key LIMIT 1) q`);
}

async function unnestResponses(sql: TSql, datasetId: number, rs: { questionId: number; item: TValidItem }[]) {
  // Same two-halves pattern as questions (index responses(question_id, key)).
  return sql.query<TWritten & { question_id: number }>(Prisma.sql`
    WITH input AS (
      SELECT * FROM unnest(
        ${rs.map((r) => r.questionId)}::int[], ${rs.map((r) => r.item.response!.key)}::text[],
        ${rs.map((r) => r.item.response!.externalId)}::text[], ${rs.map((r) => r.item.response!.policyModel)}::text[],
        ${rs.map((r) => r.item.response!.sampleIndex)}::int[], ${rs.map((r) => r.item.response!.text)}::text[],
        ${rs.map((r) => r.item.response!.finalStep)}::text[], ${rs.map((r) => r.item.response!.textLength)}::int[],
        ${rs.map((r) => r.item.response!.metadata)}::text[]
      ) AS t(question_id, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata)
    ), inserted AS (
      INSERT INTO responses (question_id, dataset_id, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata)
      SELECT question_id, ${datasetId}, key, external_id, policy_model, sample_index, text, final_step, text_length, metadata::jsonb FROM input
      ON CONFLICT (question_id, key) DO NOTHING
      RETURNING id, question_id, key
    )
    SELECT id, question_id, key, true AS inserted, '' AS text_md5 FROM inserted
    UNION ALL
    SELECT r.id, r.question_id, r.key, false, md5(r.text) FROM input i
    CROSS JOIN LATERAL (SELECT id, question_id, key, text FROM responses WHERE question_id = i.question_id AND key = i.key LIMIT 1) r`);
}
