// Importing judgments made elsewhere (an external judge's verdicts, probabilities and raw
// replies), matched to the dataset's responses by question and response text. Idempotent per
// (response, judge, template version, sample): a second import of the same file adds nothing.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import type { TVerdict } from "@/lib/verifier/verdict";
import { batches } from "./batch";
import { responseMatcher } from "./match-responses";
import { emptySummary, type TImportSummary, type TReject } from "./types";
import { insertJudgments } from "./write-attached";
import { prismaSql } from "@/lib/db/sql";

export type TJudgmentRow = {
  line: number;
  question: string;
  response: string;
  /** null when the judge call failed (then `error` says why) */
  verdict: TVerdict | null;
  rawOutput?: string | null;
  pYes?: number | null;
  pNo?: number | null;
  softReward?: number | null;
  error?: string | null;
};

type Db = PrismaClient | Prisma.TransactionClient;

function checkProbability(row: TJudgmentRow, field: "pYes" | "pNo" | "softReward"): TReject | null {
  const value = row[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    return { line: row.line, field, reason: "must be a probability between 0 and 1" };
  }
  return null;
}

export async function importJudgments(
  prisma: Db,
  target: { datasetId: number; judgeId: number; runId?: number | null; templateVersion?: string },
  rows: AsyncIterable<TJudgmentRow> | Iterable<TJudgmentRow>,
): Promise<TImportSummary> {
  const summary = emptySummary();
  const matcher = await responseMatcher(prismaSql(prisma), target.datasetId);
  for await (const batch of batches(rows, 2000)) {
    const ok: { responseId: number; row: TJudgmentRow }[] = [];
    for (const row of batch) {
      summary.read++;
      if (row.verdict === null && !row.error) {
        summary.rejected.push({ line: row.line, field: "verdict", reason: "no verdict and no error" });
        continue;
      }
      const bad = checkProbability(row, "pYes") ?? checkProbability(row, "pNo") ?? checkProbability(row, "softReward");
      if (bad) {
        summary.rejected.push(bad);
        continue;
      }
      const found = matcher.match(row.question, row.response);
      if ("reason" in found) summary.rejected.push({ line: row.line, field: "response", reason: found.reason });
      else ok.push({ responseId: found.id, row });
    }
    if (ok.length === 0) continue;
    const inserted = await insertJudgments(prismaSql(prisma), target, ok.map((o) => ({ ...o.row, responseId: o.responseId })));
    summary.inserted += inserted;
    summary.skipped += ok.length - inserted;
  }
  return summary;
}
