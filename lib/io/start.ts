// Starting an import of an uploaded file: shared by the REST route and the wizard's action.
import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { warmDataset } from "@/lib/stats/warm";
import { createImportJob } from "./import-job";
import { startImportJob } from "./jobs";
import { ZStartImport, type TStartImport } from "./schema";
import { getUpload, uploadPath } from "./uploads";

export async function startImportFromUpload(input: TStartImport, actorId: string, source: "ui" | "api") {
  const job = await db().$transaction((tx) => createFromUpload(tx, input, actorId, source));
  if (!job.existing) startImportJob(db(), job.id, { settle: warmDataset });
  return { id: job.id };
}

/** In the caller's transaction, with the upload's row locked: its file cannot be swept meanwhile (uploads.ts sweepUploads). */
async function createFromUpload(tx: Prisma.TransactionClient, input: TStartImport, actorId: string, source: "ui" | "api") {
  await tx.$queryRaw`SELECT 1 FROM uploads WHERE id = ${input.uploadId} FOR UPDATE`;
  const upload = await getUpload(tx, input.uploadId, actorId);
  if (!upload.completedAt) throw new AppError("CONFLICT", "the upload is not complete yet");
  // One import of a file at a time (the upload's row lock orders two starts): the same start sent
  // twice (a double click, a retried request) is the job already under way, not a second job that
  // finds every row "already there"; another start of it waits until that one is done.
  const [running] = await tx.$queryRaw<{ id: number; same: boolean }[]>`
    SELECT id, (dataset_name = ${input.dataset} AND kind = ${input.kind} AND strict = ${input.strict} AND mapping = ${JSON.stringify(input.mapping)}::jsonb
      AND options = ${JSON.stringify({ annotator: input.annotator ?? null, judge: input.judge ?? null })}::jsonb) AS same
    FROM import_jobs WHERE upload_id = ${upload.id} AND status IN ('queued', 'running') ORDER BY id DESC LIMIT 1`;
  if (running?.same) return { id: running.id, existing: true };
  if (running) throw new AppError("CONFLICT", `import ${running.id} of this file is under way: start another once it is done`, { jobId: running.id });
  const job = await createImportJob(tx, {
    dataset: input.dataset,
    kind: input.kind,
    fileName: upload.fileName,
    filePath: uploadPath(upload.id),
    format: input.format,
    mapping: input.mapping,
    strict: input.strict,
    annotator: input.annotator,
    judge: input.judge,
    source,
    uploadId: upload.id,
    actorId,
  });
  return { id: job.id, existing: false };
}

/**
 * Runs a failed or interrupted import again from the same upload, with the same options (or, with
 * `strict: false`, importing the good lines of a strict import that stopped at a bad one). Only
 * the uploader may (uploads are private to whoever sent them), and only once per job: the old
 * job is locked and points to the new one, so a second click gets the first click's job.
 */
export async function rerunImport(jobId: number, actorId: string, source: "ui" | "api", options: { strict?: boolean } = {}) {
  const job = await db().$transaction(async (tx) => {
    const [old] = await tx.$queryRaw<
      { status: string; upload_id: string | null; uploader: string | null; rerun_as_id: number | null; dataset_name: string; kind: string; format: string; mapping: unknown; options: { annotator?: string | null; judge?: string | null }; strict: boolean }[]
    >`SELECT j.status::text, j.upload_id, u.created_by_id AS uploader, j.rerun_as_id, j.dataset_name, j.kind, j.format, j.mapping, j.options, j.strict
      FROM import_jobs j LEFT JOIN uploads u ON u.id = j.upload_id WHERE j.id = ${jobId} FOR UPDATE OF j`;
    if (!old) throw new AppError("NOT_FOUND", `no import ${jobId}`);
    // An upload is its uploader's (lib/io/uploads.ts): said as such, not as "no such upload".
    if (old.upload_id && old.uploader !== actorId) throw new AppError("FORBIDDEN", `only the person who uploaded its file can run import ${jobId} again`);
    if (old.rerun_as_id !== null) throw new AppError("CONFLICT", `import ${jobId} was already run again as import ${old.rerun_as_id}`, { id: old.rerun_as_id });
    if (old.status !== "failed" && old.status !== "interrupted") throw new AppError("CONFLICT", `only a failed or interrupted import can run again (import ${jobId} is ${old.status})`);
    if (!old.upload_id) throw new AppError("CONFLICT", "this import read a file named on the command line: run the command again");
    const input = ZStartImport.parse({
      uploadId: old.upload_id,
      dataset: old.dataset_name,
      kind: old.kind,
      format: old.format || undefined,
      mapping: old.mapping,
      strict: options.strict ?? old.strict,
      annotator: old.options.annotator ?? undefined,
      judge: old.options.judge ?? undefined,
    });
    const created = await createFromUpload(tx, input, actorId, source);
    await tx.importJob.update({ where: { id: jobId }, data: { rerunAsId: created.id } });
    return created;
  });
  startImportJob(db(), job.id, { settle: warmDataset });
  return { id: job.id };
}
