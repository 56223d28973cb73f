// What the wizard shows before an import starts: the format as detected, the columns, the
// guessed mapping, the first rows as mapped and validated, and a validation summary of the
// first rows. Reads at most PREVIEW_SCAN records; writes nothing.
import { AppError } from "@/lib/errors";
import type { TImportKind } from "./import-job";
import { mappedRows } from "./import-job";
import { lacksWhatItAttaches } from "./import-matched";
import { guessMapping, type TMapping } from "./mapping";
import { detectSource, readRecords, type TFormat } from "./sources";
import type { TReject } from "./types";
import { validateItem } from "./validate-item";
import { withoutUserAnnotators } from "./annotators";
import type { TSql } from "@/lib/db/sql";

export const PREVIEW_SCAN = 1000;
const SHOWN = 20;

export type TPreview = {
  format: TFormat;
  gzip: boolean;
  columns: string[];
  guessed: TMapping;
  rows: { line: number; question: string; reference: string; response: string | null; policyModel: string; sampleIndex: number; label: string | null; verdict: string | null }[];
  scanned: number;
  valid: number;
  /** rows of the first `scanned` that would be rejected (the first 50 of them in `rejects`) */
  rejected: number;
  rejects: TReject[];
};

type TPreviewInput = {
  path: string;
  fileName: string;
  kind: TImportKind;
  format?: TFormat;
  mapping: TMapping;
  annotator?: string;
  judge?: string;
  /** who would import it, and the database to check its annotators against */
  importer?: { sql: TSql; id: string | null };
};

export async function previewFile(input: TPreviewInput): Promise<TPreview> {
  try {
    return await preview(input);
  } catch (error) {
    // A file the reader gives up on (a CSV quote never closed): said as the import says it, not as a server error.
    if ((error as { code?: string }).code === "INVALID_FILE") throw new AppError("INVALID", (error as Error).message);
    throw error;
  }
}

async function preview(input: TPreviewInput): Promise<TPreview> {
  const source = await detectSource(input.path, input.fileName, input.format);
  const columns: string[] = [];
  for await (const item of readRecords(input.path, source, { limit: 50 })) {
    if ("record" in item) for (const key of Object.keys(item.record)) if (!columns.includes(key)) columns.push(key);
  }
  const rejects: TReject[] = [];
  // As in the import: a row-level fault of a row with several responses is listed once.
  const reject = (r: TReject) => {
    const last = rejects.at(-1);
    if (!last || last.line !== r.line || last.field !== r.field || last.reason !== r.reason) rejects.push(r);
  };
  let scanned = 0;
  // What is kept of each valid row (not the row: a field may be megabytes), until its annotator is checked.
  const candidates: { line: number; annotator: string | undefined; row: TPreview["rows"][number] }[] = [];
  for await (const row of mappedRows(input.path, source, input.mapping, { reject, record: () => scanned++ }, PREVIEW_SCAN)) {
    const item = validateItem(input.kind === "items" ? row : { ...row, reference: "-" }, { annotator: input.annotator, judge: input.judge });
    if ("reason" in item) {
      reject(item);
      continue;
    }
    const lacking = input.kind === "items" ? null : lacksWhatItAttaches(input.kind, item);
    if (lacking) {
      reject(lacking);
      continue;
    }
    candidates.push({
      line: item.line,
      annotator: item.label?.annotator,
      row: {
        line: item.line,
        question: item.question.text.slice(0, 300),
        reference: input.kind === "items" ? item.question.reference.slice(0, 200) : "",
        response: item.response ? item.response.text.slice(0, 300) : null,
        policyModel: item.response?.policyModel ?? "",
        sampleIndex: item.response?.sampleIndex ?? 0,
        label: item.label ? `${item.label.value} (${item.label.annotator})` : null,
        verdict: item.judgment ? `${item.judgment.verdict} (${item.judgment.judge})` : null,
      },
    });
  }
  // As the import checks them: annotators that are other studio users' ids (./annotators.ts).
  const ok = input.importer ? await withoutUserAnnotators(input.importer.sql, input.importer.id, candidates, (c) => c.annotator, reject) : candidates;
  rejects.sort((a, b) => a.line - b.line);
  const valid = ok.length;
  const rows = ok.slice(0, SHOWN).map((c) => c.row);
  return { format: source.format, gzip: source.gzip, columns, guessed: guessMapping(columns), rows, scanned, valid, rejected: rejects.length, rejects: rejects.slice(0, 50) };
}
