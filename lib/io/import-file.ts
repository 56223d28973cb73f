// Importing a questions/responses file (JSONL, CSV or TSV) into a dataset, by name: the code
// path of the CLI (and, later, of the upload wizard). A column mapping names the file's column
// for each field; unmapped columns are kept as the response's (or question's) metadata.
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { importItems, type TItemRow, type TItemsSummary } from "./import-items";
import { formatFromName, readTable, type TFormat } from "./read-table";

export const ITEM_FIELDS = [
  "question",
  "reference",
  "response",
  "policy_model",
  "sample_index",
  "subject",
  "language",
  "question_id",
  "response_id",
] as const;
export type TItemField = (typeof ITEM_FIELDS)[number];
export type TMapping = Partial<Record<TItemField, string>>;

/** The file's column for each field: the mapping given, else a column of the field's own name. */
export function resolveMapping(columns: string[], given: TMapping = {}): Record<TItemField, string | undefined> {
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  return Object.fromEntries(ITEM_FIELDS.map((f) => [f, given[f] ?? lower.get(f)])) as Record<TItemField, string | undefined>;
}

export function parseMapping(text: string | undefined): TMapping {
  if (!text) return {};
  const mapping: TMapping = {};
  for (const pair of text.split(",")) {
    const [field, column] = pair.split("=").map((s) => s.trim());
    if (!field || !column || !(ITEM_FIELDS as readonly string[]).includes(field)) {
      throw new AppError("INVALID", `bad mapping "${pair}": use field=column with field one of ${ITEM_FIELDS.join(", ")}`);
    }
    mapping[field as TItemField] = column;
  }
  return mapping;
}

export type TFileImportResult = TItemsSummary & { datasetId: number; imported: boolean };

export async function importFile(
  prisma: PrismaClient,
  options: { path: string; dataset: string; format?: TFormat; mapping?: TMapping; strict?: boolean; actorId?: string | null; onProgress?: (s: TItemsSummary) => void },
): Promise<TFileImportResult> {
  const format = options.format ?? formatFromName(options.path);
  if (!format) throw new AppError("INVALID", `cannot tell the format of ${options.path}: use a .jsonl, .csv or .tsv name or --format`);

  return prisma.$transaction(
    async (tx) => {
      const dataset =
        (await tx.dataset.findUnique({ where: { name: options.dataset } })) ??
        (await tx.dataset.create({ data: { name: options.dataset, createdById: options.actorId ?? null } }));
      const early: { line: number; field: string; reason: string }[] = [];
      async function* rows(): AsyncGenerator<TItemRow> {
        for await (const item of readTable(options.path, format!)) {
          if ("error" in item) {
            early.push({ line: item.line, field: "line", reason: item.error });
            continue;
          }
          // Per record: JSONL lines need not share the first line's keys.
          const m = resolveMapping(Object.keys(item.record), options.mapping);
          const mapped = new Set(Object.values(m).filter(Boolean));
          const metadata = Object.fromEntries(Object.entries(item.record).filter(([k]) => !mapped.has(k)));
          const get = (f: TItemField) => (m[f] ? item.record[m[f]!] : undefined);
          yield {
            line: item.line,
            question: get("question"),
            reference: get("reference"),
            response: get("response"),
            policyModel: get("policy_model"),
            sampleIndex: get("sample_index"),
            subject: get("subject"),
            language: get("language"),
            questionExternalId: get("question_id"),
            responseExternalId: get("response_id"),
            responseMetadata: m.response ? metadata : undefined,
            questionMetadata: m.response ? undefined : metadata,
          };
        }
      }
      const summary = await importItems(tx, dataset.id, rows(), { onProgress: options.onProgress });
      summary.rejected.push(...early);
      summary.read += early.length;
      summary.rejected.sort((a, b) => a.line - b.line);
      if (options.strict && summary.rejected.length > 0) {
        // Throwing rolls the whole transaction back: a strict import is all or nothing.
        throw new AppError("INVALID", `${summary.rejected.length} bad line(s); nothing imported (strict mode)`, summary.rejected);
      }
      await recordAudit(tx, {
        actorId: options.actorId ?? null,
        action: "import.items",
        entity: "dataset",
        entityId: dataset.id,
        data: { file: options.path.split("/").pop() ?? "", read: summary.read, inserted: summary.inserted, skipped: summary.skipped, rejected: summary.rejected.length },
      });
      return { ...summary, datasetId: dataset.id, imported: true };
    },
    { timeout: 60 * 60_000, maxWait: 60_000 },
  );
}
