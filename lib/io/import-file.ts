// Importing a file from this process and waiting for the outcome: the CLI's path (and the
// tests'). It is the same job as the wizard's: a row in import_jobs, visible on the imports page.
import type { PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { createImportJob, runImportJob, type TImportKind, type TImportProgress } from "./import-job";
import type { TMapping } from "./mapping";
import type { TFormat } from "./sources";
import type { TReject } from "./types";

export { parseMappingText as parseMapping } from "./mapping";

export type TFileImportResult = {
  jobId: number;
  /** null when the file held no rows and the dataset would have been new: none is created */
  datasetId: number | null;
  read: number;
  inserted: number;
  skipped: number;
  rejected: TReject[];
  questionsInserted: number;
  responsesInserted: number;
  labelsInserted: number;
  judgmentsInserted: number;
  message: string;
  /** what the importer should know besides the counts (the message's lines after the first) */
  notes: string[];
  imported: true;
};

export async function importFile(
  prisma: PrismaClient,
  options: {
    path: string;
    dataset: string;
    fileName?: string;
    kind?: TImportKind;
    format?: TFormat;
    mapping?: TMapping;
    strict?: boolean;
    annotator?: string;
    judge?: string;
    actorId?: string | null;
    source?: "cli" | "api" | "ui";
    onProgress?: (p: TImportProgress) => void;
    /** the database the import's transaction runs on (default DATABASE_URL) */
    databaseUrl?: string;
  },
): Promise<TFileImportResult> {
  const job = await createImportJob(prisma, {
    dataset: options.dataset,
    kind: options.kind ?? "items",
    fileName: options.fileName ?? options.path.split("/").pop() ?? options.path,
    filePath: options.path,
    format: options.format,
    mapping: options.mapping ?? {},
    strict: options.strict ?? false,
    annotator: options.annotator,
    judge: options.judge,
    source: options.source ?? "cli",
    actorId: options.actorId ?? null,
  });
  await runImportJob(prisma, job.id, { onProgress: options.onProgress, databaseUrl: options.databaseUrl });
  const done = await prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
  const rejected = await prisma.importReject.findMany({ where: { jobId: job.id }, orderBy: [{ line: "asc" }, { id: "asc" }], select: { line: true, field: true, reason: true } });
  if (done.status !== "completed") throw new AppError("INVALID", done.message, rejected);
  const counts = done.counts as Record<string, number>;
  return {
    jobId: job.id,
    datasetId: done.datasetId,
    read: done.rowsRead,
    inserted: done.inserted,
    skipped: done.skipped,
    rejected,
    questionsInserted: counts.questions ?? 0,
    responsesInserted: counts.responses ?? 0,
    labelsInserted: counts.labels ?? 0,
    judgmentsInserted: counts.judgments ?? 0,
    message: done.message,
    notes: done.message.split("\n").slice(1),
    imported: true,
  };
}
