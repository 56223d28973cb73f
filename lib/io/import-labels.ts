// Importing expert labels made elsewhere (one row per annotator and response), matched to the
// dataset's responses by question and response text. Each new label gets its first history row,
// and the gold labels of the touched responses are recomputed. Labels already present for that
// annotator are kept as they are (re-imports change nothing).
import type { Prisma } from "@/lib/db/generated/client";
import { refreshGold, type TLabelValue } from "@/lib/labels/gold";
import { batches } from "./batch";
import { responseMatcher } from "./match-responses";
import { emptySummary, type TImportSummary } from "./types";

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
  const matcher = await responseMatcher(tx, target.datasetId);
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
    if (ok.length === 0) continue;
    const created = await tx.$queryRaw<{ id: number; response_id: number; value: TLabelValue; note: string }[]>`
      INSERT INTO expert_labels (response_id, annotator, value, note, source)
      SELECT response_id, annotator, value::label_value, note, 'import'
      FROM unnest(
        ${ok.map((o) => o.responseId)}::int[], ${ok.map((o) => o.row.annotator.trim())}::text[],
        ${ok.map((o) => o.row.value)}::text[], ${ok.map((o) => o.row.note ?? "")}::text[]
      ) AS t(response_id, annotator, value, note)
      ON CONFLICT (response_id, annotator) DO NOTHING
      RETURNING id, response_id, value::text AS value, note`;
    if (created.length > 0) {
      await tx.$executeRaw`
        INSERT INTO expert_label_history (label_id, response_id, changed_by_id, old_value, new_value, new_note, version)
        SELECT label_id, response_id, ${target.importedById}, NULL, new_value::label_value, new_note, 1
        FROM unnest(
          ${created.map((c) => c.id)}::int[], ${created.map((c) => c.response_id)}::int[],
          ${created.map((c) => c.value)}::text[], ${created.map((c) => c.note)}::text[]
        ) AS t(label_id, response_id, new_value, new_note)`;
      await refreshGold(tx, created.map((c) => c.response_id));
    }
    summary.inserted += created.length;
    summary.skipped += ok.length - created.length;
  }
  return summary;
}
