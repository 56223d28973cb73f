// Reads for the judgments area: the list (one row per response, a column per judge), its
// count, and the detail of one response.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
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

/** One page of the list, keyset-paginated by response id (index responses(dataset_id, id)). */
export async function listJudgments(filters: TJudgmentFilters, columns: TJudgeColumn[], limit = PAGE_SIZE) {
  const where = judgmentsWhere(filters, judgeMap(columns));
  const after = filters.after ? Prisma.sql`AND r.id > ${filters.after}` : Prisma.empty;
  const rows = await db().$queryRaw<Omit<TJudgmentRow, "cells">[]>`
    SELECT r.id, left(q.text, ${PREVIEW}) AS question, left(r.text, ${PREVIEW}) AS response,
      left(r.final_step, ${PREVIEW}) AS "finalStep", r.policy_model AS "policyModel",
      r.sample_index AS "sampleIndex", r.gold_label::text AS "goldLabel"
    FROM responses r JOIN questions q ON q.id = r.question_id
    WHERE ${where} ${after}
    ORDER BY r.id
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const cells = await judgmentCells(page.map((r) => r.id), columns);
  return {
    rows: page.map((r) => ({ ...r, cells: cells.get(r.id) ?? {} })) as TJudgmentRow[],
    nextCursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}

export async function countJudgments(filters: TJudgmentFilters, columns: TJudgeColumn[]): Promise<number> {
  const where = judgmentsWhere({ ...filters, after: undefined }, judgeMap(columns));
  const [row] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM responses r WHERE ${where}`;
  return row?.n ?? 0;
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
      adjudication: { select: { value: true, note: true, version: true, decidedBy: { select: { name: true } } } },
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
