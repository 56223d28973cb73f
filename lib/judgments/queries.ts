// Reads for the judgments area: the list (one row per response, a column per judge), its
// count, and the detail of one response.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { withStatementTimeout } from "@/lib/db/timeout";
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

const judgeMap = (columns: TJudgeColumn[]) => new Map<number, TJudgeRef>(columns.map((c) => [c.id, c]));

/**
 * A text search (ILIKE on every text) reads at most this many responses per page, so a page
 * costs the same whether the words are common or absent: a trigram index would make the search
 * itself fast, but it multiplied the cost of importing responses by ten (docs/benchmarks.md), and
 * imports of a million responses matter more here. A page that reached the end of its window
 * without filling up says how far it searched; the next page continues from there.
 */
export const SEARCH_WINDOW = 20_000;

export type TJudgmentPage = {
  rows: TJudgmentRow[];
  nextCursor: number | null;
  /** set when a text search stopped at the end of its window: responses up to this id were searched */
  searchedTo: number | null;
};

/**
 * The SQL of one page: keyset on response id. The filter runs on ids alone (responses(dataset_id,
 * id), or responses(dataset_id, gold_label, id) for label filters, index-only), and only the
 * page's rows are then read with their question: a sparse filter sorts ids, not rows.
 */
export function judgmentPageSql(filters: TJudgmentFilters, columns: TJudgeColumn[], limit = PAGE_SIZE, searchWindow = SEARCH_WINDOW): Prisma.Sql {
  const where = judgmentsWhere(filters, judgeMap(columns));
  const after = filters.after ? Prisma.sql`AND r.id > ${filters.after}` : Prisma.empty;
  const from = filters.q
    ? Prisma.sql`(SELECT w.id FROM responses w WHERE w.dataset_id = ${filters.dataset} ${filters.after ? Prisma.sql`AND w.id > ${filters.after}` : Prisma.empty}
        ORDER BY w.id LIMIT ${searchWindow}) win JOIN responses r ON r.id = win.id`
    : Prisma.sql`responses r`;
  return Prisma.sql`
    WITH page AS (
      SELECT r.id FROM ${from} WHERE ${where} ${after} ORDER BY r.id LIMIT ${limit + 1}
    )
    SELECT r.id, left(q.text, ${PREVIEW}) AS question, left(r.text, ${PREVIEW}) AS response,
      left(r.final_step, ${PREVIEW}) AS "finalStep", r.policy_model AS "policyModel",
      r.sample_index AS "sampleIndex", r.gold_label::text AS "goldLabel"
    FROM page JOIN responses r ON r.id = page.id JOIN questions q ON q.id = r.question_id
    ORDER BY r.id`;
}

/** One page of the list. */
export async function listJudgments(filters: TJudgmentFilters, columns: TJudgeColumn[], limit = PAGE_SIZE, searchWindow = SEARCH_WINDOW): Promise<TJudgmentPage> {
  const rows = await db().$queryRaw<Omit<TJudgmentRow, "cells">[]>(judgmentPageSql(filters, columns, limit, searchWindow));
  const page = rows.slice(0, limit);
  const cells = await judgmentCells(page.map((r) => r.id), columns);
  const out = { rows: page.map((r) => ({ ...r, cells: cells.get(r.id) ?? {} })) as TJudgmentRow[], nextCursor: rows.length > limit ? page.at(-1)!.id : null, searchedTo: null as number | null };
  if (filters.q && !out.nextCursor) {
    // Did the search stop at the end of its window with responses left after it?
    const [window] = await db().$queryRaw<{ last: number | null; n: number }[]>`
      SELECT max(id) AS last, count(*)::int AS n FROM (
        SELECT w.id FROM responses w WHERE w.dataset_id = ${filters.dataset} AND w.id > ${filters.after ?? 0} ORDER BY w.id LIMIT ${searchWindow}
      ) win`;
    if (window && window.n === searchWindow) out.nextCursor = out.searchedTo = window.last;
  }
  return out;
}

const countSql = (filters: TJudgmentFilters, columns: TJudgeColumn[]) =>
  Prisma.sql`SELECT count(*)::int AS n FROM responses r WHERE ${judgmentsWhere({ ...filters, after: undefined }, judgeMap(columns))}`;

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
      question: { select: { id: true, text: true, reference: true, subject: true, language: true, externalId: true } },
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
          judge: { select: { id: true, name: true, sizeLabel: true } },
        },
      },
      labels: {
        orderBy: { createdAt: "asc" },
        select: { id: true, annotator: true, value: true, note: true, version: true, source: true, updatedAt: true, user: { select: { id: true, name: true } } },
      },
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
          label: { select: { annotator: true } },
          changedBy: { select: { name: true } },
        },
      },
    },
  });
}

export type TResponseDetail = NonNullable<Awaited<ReturnType<typeof getResponseDetail>>>;
