// Importing judgments and expert labels that already know their response's id (a bulk load
// at scale, a pipeline that exported ids, the synthetic scale seed). No text matching: each row
// names its response, which must belong to the target dataset. Same guarantees as the text-
// matched importers: validated row by row (bad rows reported, not fatal), set-based batches,
// idempotent per (response, judge, template version, sample) and per (response, annotator).
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { prismaSql } from "@/lib/db/sql";
import { batches } from "./batch";
import { emptySummary, type TImportSummary, type TReject } from "./types";
import { insertJudgments, insertLabels, type TJudgmentWrite, type TLabelWrite } from "./write-attached";
import { withoutUserAnnotators } from "./annotators";
import { isRowId } from "@/lib/db/values";

type Db = PrismaClient | Prisma.TransactionClient;

/** A judgment naming its response (verdict null when the judge call failed: then `error` says why), with its line in the file. */
export type TJudgmentByIdRow = TJudgmentWrite & { line: number };
/** An expert label naming its response, with its line in the file. */
export type TLabelByIdRow = TLabelWrite & { line: number };

const VERDICTS: readonly unknown[] = ["YES", "NO", "UNPARSEABLE"];
const LABELS: readonly unknown[] = ["correct", "incorrect", "unsure"];

function checkJudgment(row: TJudgmentByIdRow): TReject | null {
  const reject = (field: string, reason: string) => ({ line: row.line, field, reason });
  if (!Number.isInteger(row.responseId) || row.responseId <= 0) return reject("response_id", "must be a positive whole number");
  if (row.sample !== undefined && (!Number.isInteger(row.sample) || row.sample < 0)) return reject("sample", "must be a whole number >= 0");
  if (row.verdict === null ? !row.error : !VERDICTS.includes(row.verdict)) {
    return reject("verdict", row.verdict === null ? "no verdict and no error" : "must be YES, NO or UNPARSEABLE");
  }
  for (const field of ["pYes", "pNo", "softReward"] as const) {
    const value = row[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) return reject(field, "must be a probability between 0 and 1");
  }
  return null;
}

/** The ids among `ids` that are responses of `datasetId` (primary key lookups). */
async function idsInDataset(prisma: Db, datasetId: number, ids: number[]): Promise<Set<number>> {
  // an id no integer column can hold names no response (and would fail the whole statement)
  const possible = [...new Set(ids)].filter(isRowId);
  const rows = await prisma.$queryRaw<{ id: number }[]>`
    SELECT id FROM responses WHERE id = ANY(${possible}::int[]) AND dataset_id = ${datasetId}`;
  return new Set(rows.map((r) => r.id));
}

/** Keeps the rows whose response is in the dataset; reports the others. */
async function inDataset<T extends { line: number; responseId: number }>(prisma: Db, datasetId: number, rows: T[], summary: TImportSummary) {
  if (rows.length === 0) return rows;
  const known = await idsInDataset(prisma, datasetId, rows.map((r) => r.responseId));
  return rows.filter((row) => {
    if (known.has(row.responseId)) return true;
    summary.rejected.push({ line: row.line, field: "response_id", reason: `no response ${row.responseId} in this dataset` });
    return false;
  });
}

export async function importJudgmentsById(
  prisma: Db,
  target: { datasetId: number; judgeId: number; runId?: number | null; templateVersion?: string },
  rows: AsyncIterable<TJudgmentByIdRow> | Iterable<TJudgmentByIdRow>,
  options: { batchSize?: number } = {},
): Promise<TImportSummary> {
  const summary = emptySummary();
  for await (const batch of batches(rows, options.batchSize ?? 5000)) {
    summary.read += batch.length;
    const valid = batch.filter((row) => {
      const bad = checkJudgment(row);
      if (bad) summary.rejected.push(bad);
      return !bad;
    });
    const ok = await inDataset(prisma, target.datasetId, valid, summary);
    if (ok.length === 0) continue;
    const inserted = await insertJudgments(prismaSql(prisma), target, ok);
    summary.inserted += inserted;
    summary.skipped += ok.length - inserted;
  }
  return summary;
}

/**
 * Expert labels by response id. Each new label gets its first history row and the touched
 * responses' gold labels are recomputed (lib/labels/gold.ts), as with the text-matched importer.
 * Run it inside a transaction (labels, history and gold move together).
 */
export async function importLabelsById(
  tx: Prisma.TransactionClient,
  target: { datasetId: number; importedById: string | null },
  rows: AsyncIterable<TLabelByIdRow> | Iterable<TLabelByIdRow>,
  options: { batchSize?: number } = {},
): Promise<TImportSummary> {
  const summary = emptySummary();
  for await (const batch of batches(rows, options.batchSize ?? 5000)) {
    summary.read += batch.length;
    const valid = batch.filter((row) => {
      const reason = !LABELS.includes(row.value)
        ? { field: "label", reason: `must be one of ${LABELS.join(", ")}` }
        : typeof row.annotator !== "string" || row.annotator.trim() === ""
          ? { field: "annotator", reason: "missing annotator" }
          : null;
      if (reason) summary.rejected.push({ line: row.line, ...reason });
      return !reason;
    });
    const inSet = await inDataset(tx, target.datasetId, valid, summary);
    const ok = await withoutUserAnnotators(prismaSql(tx), target.importedById, inSet, (r) => r.annotator.trim(), (r) => summary.rejected.push(r));
    if (ok.length === 0) continue;
    const created = await insertLabels(prismaSql(tx), target.importedById, ok.map((r) => ({ ...r, annotator: r.annotator.trim() })));
    summary.inserted += created;
    summary.skipped += ok.length - created;
  }
  return summary;
}
