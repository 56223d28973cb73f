// Reads for the judgments area: the list (one row per response, a column per judge), its
// count, and the detail of one response.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { withStatementTimeout } from "@/lib/db/timeout";
import { env } from "@/lib/env";
import { datasetJudges } from "@/lib/datasets/queries";
import type { TJudgmentFilters } from "./filters";
import { judgmentsWhere, type TJudgeRef } from "./where";

export const PAGE_SIZE = 50;
const PREVIEW = 240;

export type TJudgeColumn = { id: number; name: string; sizeLabel: string; templateVersion: string };
export type TCell = { verdict: "YES" | "NO" | "UNPARSEABLE" | null; softReward: number | null; error: string | null };
export type TJudgmentRow = {
  id: number;
  question: string;
  response: string;
  finalStep: string;
  policyModel: string;
  sampleIndex: number;
  goldLabel: "correct" | "incorrect" | "unsure" | null;
  cells: Record<number, TCell>;
};

export async function judgeColumns(datasetId: number): Promise<TJudgeColumn[]> {
  return (await datasetJudges([datasetId])).get(datasetId) ?? [];
}

/**
 * The judges a filter names that are not among the dataset's columns, with why: archived, or no
 * judgment of theirs in this dataset (a link from another dataset), or no such judge. ./where.ts
 * reads them as having judged nothing (under no version), which the page says.
 */
export async function judgesOutsideColumns(ids: number[], columns: TJudgeColumn[]): Promise<{ id: number; name: string | null; archived: boolean }[]> {
  const outside = ids.filter((id) => !columns.some((c) => c.id === id));
  if (outside.length === 0) return [];
  const found = await db().judge.findMany({ where: { id: { in: outside } }, select: { id: true, name: true, archivedAt: true } });
  return outside.map((id) => {
    const judge = found.find((j) => j.id === id);
    return { id, name: judge?.name ?? null, archived: judge?.archivedAt != null };
  });
}

const judgeMap = (columns: TJudgeColumn[]) => new Map<number, TJudgeRef>(columns.map((c) => [c.id, c]));

/**
 * A text search (ILIKE on every text) reads the dataset in steps of this many responses, until
 * the page is full or SEARCH_BUDGET_MS have passed, so a page costs about the same whether the
 * words are common or absent. A trigram index would make the search itself fast, but it made
 * importing responses ten times slower (docs/benchmarks.md), and imports of a million responses
 * matter more here. A page that stopped on its budget says how far it searched; the next page
 * continues from there.
 */
export const SEARCH_WINDOW = 5_000;
const SEARCH_BUDGET_MS = 300;

export type TJudgmentPage = {
  rows: TJudgmentRow[];
  /** the next page is `after` this id (null: this is the last page) */
  nextCursor: number | null;
  /** the previous page is `before` this id (null: this is the first page) */
  prevCursor: number | null;
  /** set when a text search stopped on its budget: responses up to this id (down to it, going back) were searched */
  searchedTo: number | null;
  /** the page went back from its `before` cursor (false also when it reached the first match and is the first page) */
  back: boolean;
};

/** Which way a page goes from its cursor: forward by default and from `after`, back from `before`. */
const isBack = (filters: TJudgmentFilters) => filters.before !== undefined;

/** The cursor's condition on `alias`.id, and the order that walks away from it. */
function keyset(filters: TJudgmentFilters, alias: string) {
  const id = Prisma.raw(`${alias}.id`);
  if (filters.before) return { where: Prisma.sql`AND ${id} < ${filters.before}`, order: Prisma.sql`ORDER BY ${id} DESC` };
  return { where: filters.after ? Prisma.sql`AND ${id} > ${filters.after}` : Prisma.empty, order: Prisma.sql`ORDER BY ${id}` };
}

/**
 * The SQL of one page: keyset on response id, away from the cursor (a previous page walks the ids
 * down from `before`). The filter runs on ids alone (responses(dataset_id, id), or
 * responses(dataset_id, gold_label, id) for label filters, index-only; both are read backwards as
 * fast), and only the page's rows are then read with their question: a sparse filter sorts ids,
 * not rows. The rows come in id order whichever way the page went.
 */
export function judgmentPageSql(filters: TJudgmentFilters, columns: TJudgeColumn[], limit = PAGE_SIZE, searchWindow = SEARCH_WINDOW): Prisma.Sql {
  const cursor = keyset(filters, "r");
  const from = filters.q
    ? Prisma.sql`(SELECT w.id FROM responses w WHERE w.dataset_id = ${filters.dataset} ${keyset(filters, "w").where}
        ${keyset(filters, "w").order} LIMIT ${searchWindow}) win JOIN responses r ON r.id = win.id`
    : Prisma.sql`responses r`;
  const ids = (f: TJudgmentFilters) => Prisma.sql`SELECT r.id FROM ${from} WHERE ${judgmentsWhere(f, judgeMap(columns))} ${cursor.where} ${cursor.order} LIMIT ${limit + 1}`;
  // A judge disagrees with the experts on exactly two confusion cells: it says NO where they say
  // correct, or YES where they say incorrect. Each cell is walked in id order on its own
  // (responses(dataset_id, gold_label, id)) and the two merged, so the page stops as soon as it
  // is full instead of collecting every labelled response first.
  const judge = filters.disagree?.some((r) => r.kind === "expert") && !filters.label && !filters.q ? filters.disagree.find((r) => r.kind === "judge") : undefined;
  const page = judge
    ? Prisma.sql`(${ids(cell(filters, judge.judgeId, "NO", "correct"))}) UNION ALL (${ids(cell(filters, judge.judgeId, "YES", "incorrect"))}) ${isBack(filters) ? Prisma.sql`ORDER BY id DESC` : Prisma.sql`ORDER BY id`} LIMIT ${limit + 1}`
    : ids(filters);
  return Prisma.sql`
    WITH page AS (${page})
    SELECT r.id, left(q.text, ${PREVIEW}) AS question, left(r.text, ${PREVIEW}) AS response,
      left(r.final_step, ${PREVIEW}) AS "finalStep", r.policy_model AS "policyModel",
      r.sample_index AS "sampleIndex", r.gold_label::text AS "goldLabel"
    FROM page JOIN responses r ON r.id = page.id JOIN questions q ON q.id = r.question_id
    ORDER BY r.id`;
}

const cell = (filters: TJudgmentFilters, judgeId: number, verdict: "YES" | "NO", label: "correct" | "incorrect"): TJudgmentFilters => ({
  ...filters,
  disagree: undefined,
  verdict: [...filters.verdict, { judgeId, verdict }],
  label,
});

type TRow = Omit<TJudgmentRow, "cells">;

type TSearchOptions = { window?: number; budgetMs?: number };

/**
 * One page of the list. A page before a cursor that reaches the first match is the first page
 * (as the list without a cursor shows it: full, if there are enough matches).
 */
export async function listJudgments(filters: TJudgmentFilters, columns: TJudgeColumn[], limit = PAGE_SIZE, search: TSearchOptions = {}): Promise<TJudgmentPage> {
  const back = isBack(filters);
  const { rows, searchedTo } = filters.q
    ? await searchRows(filters, columns, limit, search)
    : { rows: await db().$queryRaw<TRow[]>(judgmentPageSql(filters, columns, limit)), searchedTo: null };
  const more = rows.length > limit;
  if (back && !more && searchedTo === null) return listJudgments({ ...filters, before: undefined }, columns, limit, search);
  // In id order; the extra row that says there is more lies beyond the page's far end.
  const page = back ? rows.slice(-limit) : rows.slice(0, limit);
  const cells = await judgmentCells(page.map((r) => r.id), columns);
  const first = page[0]?.id;
  const last = page.at(-1)?.id;
  return {
    rows: page.map((r) => ({ ...r, cells: cells.get(r.id) ?? {} })),
    nextCursor: back ? (last ?? filters.before! - 1) : more ? last! : searchedTo,
    prevCursor: back ? (more ? first! : searchedTo) : filters.after ? (first ?? filters.after + 1) : null,
    searchedTo: more ? null : searchedTo,
    back,
  };
}

/**
 * Text search: windows of `window` responses, walking away from the cursor, until the page is
 * full, the dataset ends, or the budget is spent.
 */
async function searchRows(filters: TJudgmentFilters, columns: TJudgeColumn[], limit: number, search: TSearchOptions): Promise<{ rows: TRow[]; searchedTo: number | null }> {
  const { window = SEARCH_WINDOW, budgetMs = SEARCH_BUDGET_MS } = search;
  const back = isBack(filters);
  const started = performance.now();
  const rows: TRow[] = [];
  let cursor = back ? filters.before : filters.after;
  for (;;) {
    const step = back ? { ...filters, before: cursor } : { ...filters, after: cursor };
    const w = keyset(step, "w");
    const [found, [span]] = await Promise.all([
      db().$queryRaw<TRow[]>(judgmentPageSql(step, columns, limit - rows.length, window)),
      db().$queryRaw<{ edge: number | null; n: number }[]>`
        SELECT ${back ? Prisma.sql`min(id)` : Prisma.sql`max(id)`} AS edge, count(*)::int AS n FROM (
          SELECT w.id FROM responses w WHERE w.dataset_id = ${filters.dataset} ${w.where} ${w.order} LIMIT ${window}
        ) win`,
    ]);
    rows.push(...found);
    const isEnd = !span || span.n < window;
    if (rows.length > limit || isEnd) return { rows: back ? rows.sort((a, b) => a.id - b.id) : rows, searchedTo: null };
    cursor = span.edge!;
    if (performance.now() - started >= budgetMs) return { rows: back ? rows.sort((a, b) => a.id - b.id) : rows, searchedTo: cursor };
  }
}

// The embedded database cannot interrupt a statement (no statement_timeout) and runs one at a
// time, so there a count keeps the form that is safe without planner statistics (./where.ts).
const countSql = (filters: TJudgmentFilters, columns: TJudgeColumn[]) =>
  Prisma.sql`SELECT count(*)::int AS n FROM responses r WHERE ${judgmentsWhere(filters, judgeMap(columns), { isCount: !env().STUDIO_EMBEDDED })}`;

export async function countJudgments(filters: TJudgmentFilters, columns: TJudgeColumn[]): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number }[]>(countSql(filters, columns));
  return row?.n ?? 0;
}

/** The count, or null when it takes longer than `ms` (a text search over a million responses can). */
export async function countJudgmentsWithin(filters: TJudgmentFilters, columns: TJudgeColumn[], ms: number): Promise<number | null> {
  const rows = await withStatementTimeout(ms, (tx) => tx.$queryRaw<{ n: number }[]>(countSql(filters, columns)));
  return rows === null ? null : (rows[0]?.n ?? 0);
}

async function judgmentCells(responseIds: number[], columns: TJudgeColumn[]) {
  const byResponse = new Map<number, Record<number, TCell>>();
  if (responseIds.length === 0 || columns.length === 0) return byResponse;
  const judgments = await db().judgment.findMany({
    where: {
      responseId: { in: responseIds },
      sample: 0,
      OR: columns.map((c) => ({ judgeId: c.id, templateVersion: c.templateVersion })),
    },
    select: { responseId: true, judgeId: true, verdict: true, softReward: true, error: true },
  });
  for (const j of judgments) {
    const cells = byResponse.get(j.responseId) ?? {};
    cells[j.judgeId] = { verdict: j.verdict, softReward: j.softReward, error: j.error };
    byResponse.set(j.responseId, cells);
  }
  return byResponse;
}

export async function getResponseDetail(id: number) {
  const [detail, decisions] = await Promise.all([responseDetail(id), adjudicationHistory(id)]);
  return detail && { ...detail, decisions };
}

/** An adjudication keeps only its latest decision; each decision is an audit event (lib/labels/adjudicate.ts), read back as its history. */
async function adjudicationHistory(responseId: number) {
  const events = await db().auditEvent.findMany({
    where: { entity: "response", entityId: String(responseId), action: "adjudication.set" },
    orderBy: { id: "desc" },
    take: 50,
    select: { id: true, data: true, createdAt: true, actor: { select: { name: true } } },
  });
  return events.map((e) => {
    const data = (e.data ?? {}) as { from?: string | null; to?: string; note?: string; version?: number };
    return { id: e.id, oldValue: data.from ?? null, newValue: data.to ?? null, note: data.note ?? "", version: data.version ?? null, createdAt: e.createdAt, decidedBy: e.actor };
  });
}

function responseDetail(id: number) {
  return db().response.findUnique({
    where: { id },
    select: {
      id: true,
      datasetId: true,
      text: true,
      finalStep: true,
      policyModel: true,
      sampleIndex: true,
      goldLabel: true,
      metadata: true,
      question: { select: { id: true, text: true, reference: true, subject: true, language: true, externalId: true, metadata: true } },
      judgments: {
        orderBy: [{ judgeId: "asc" }, { templateVersion: "asc" }, { sample: "asc" }],
        select: {
          id: true,
          templateVersion: true,
          sample: true,
          verdict: true,
          pYes: true,
          pNo: true,
          softReward: true,
          rawOutput: true,
          error: true,
          latencyMs: true,
          createdAt: true,
          judge: { select: { id: true, name: true, sizeLabel: true, archivedAt: true } },
        },
      },
      labels: {
        orderBy: { createdAt: "asc" },
        select: { id: true, annotator: true, value: true, note: true, version: true, source: true, updatedAt: true, user: { select: { id: true, name: true } } },
      },
      adjudication: { select: { value: true, note: true, version: true, updatedAt: true, decidedBy: { select: { name: true } } } },
      labelChanges: {
        orderBy: { id: "desc" },
        take: 50,
        select: {
          id: true,
          oldValue: true,
          newValue: true,
          oldNote: true,
          newNote: true,
          version: true,
          createdAt: true,
          annotator: true,
          batchId: true,
          label: { select: { annotator: true } },
          changedBy: { select: { name: true } },
        },
      },
    },
  });
}

export type TResponseDetail = NonNullable<Awaited<ReturnType<typeof getResponseDetail>>>;
