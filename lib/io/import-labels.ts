// Importing expert labels made elsewhere (one row per annotator and response), matched to the
// dataset's responses by question and response text. Each new label gets its first history row,
// and the gold labels of the touched responses are recomputed. Labels already present for that
// annotator are kept as they are (re-imports change nothing).
import type { Prisma } from "@/lib/db/generated/client";
import type { TLabelValue } from "@/lib/labels/gold";
import { batches } from "./batch";
import { responseMatcher } from "./match-responses";
import { emptySummary, type TImportSummary } from "./types";
import { insertLabels } from "./write-attached";
import { prismaSql } from "@/lib/db/sql";
import { withoutUserAnnotators } from "./annotators";

export type TLabelRow = {
  line: number;
  question: string;
  response: string;
  annotator: string;
  value: TLabelValue;
  note?: string;
};

const VALUES: readonly string[] = ["correct", "incorrect", "unsure"];

export async function importLabels(
  tx: Prisma.TransactionClient,
  target: { datasetId: number; importedById: string | null },
  rows: AsyncIterable<TLabelRow> | Iterable<TLabelRow>,
): Promise<TImportSummary> {
  const summary = emptySummary();
  const matcher = await responseMatcher(prismaSql(tx), target.datasetId);
  for await (const batch of batches(rows, 2000)) {
    const ok: { responseId: number; row: TLabelRow }[] = [];
    for (const row of batch) {
      summary.read++;
      if (!VALUES.includes(row.value)) {
        summary.rejected.push({ line: row.line, field: "label", reason: `must be one of ${VALUES.join(", ")}` });
        continue;
      }
      if (row.annotator.trim() === "") {
        summary.rejected.push({ line: row.line, field: "annotator", reason: "missing annotator" });
        continue;
      }
      const found = matcher.match(row.question, row.response, row.annotator);
      if ("reason" in found) summary.rejected.push({ line: row.line, field: "response", reason: found.reason });
      else ok.push({ responseId: found.id, row });
    }
    const allowed = await withoutUserAnnotators(prismaSql(tx), target.importedById, ok.map((o) => ({ ...o, line: o.row.line })), (o) => o.row.annotator.trim(), (r) => summary.rejected.push(r));
    if (allowed.length === 0) continue;
    const created = await insertLabels(
      prismaSql(tx),
      target.importedById,
      allowed.map((o) => ({ responseId: o.responseId, annotator: o.row.annotator.trim(), value: o.row.value, note: o.row.note })),
    );
    summary.inserted += created;
    summary.skipped += allowed.length - created;
  }
  return summary;
}
