// Uploads: a file sent in chunks (each PUT carries the bytes at `offset`), written straight to
// STUDIO_DATA_DIR/uploads/<id>, never held in memory. A chunk lands whole or not at all: the
// bytes received so far are the row's `received`, what GET reports, and the bytes of an
// interrupted chunk past it are cut off by the next PUT, so a client resumes at `received` and
// a retried chunk is accepted.
// The file lives on the disk of the instance that received it (`host`): with several app
// instances, give them one shared data folder (see README, "Scaling out"). Once imported it is
// removed (the rows are in the database), and so is one no import needed for a while.
import { randomUUID } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync, truncateSync } from "node:fs";
import { once } from "node:events";
import { hostname } from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { dataDir } from "@/lib/setup/runtime";

/** Largest file accepted (100 GiB): a guard against typos, not a limit anyone should meet. */
export const MAX_UPLOAD_BYTES = 100 * 1024 ** 3;
export const CHUNK_BYTES = 8 * 1024 * 1024;

export const uploadPath = (id: string) => path.join(dataDir(), "uploads", id);

export async function createUpload(prisma: PrismaClient, input: { fileName: string; size: number; userId: string }) {
  if (input.size > MAX_UPLOAD_BYTES) throw new AppError("INVALID", "the file is larger than 100 GiB");
  const id = randomUUID();
  mkdirSync(path.dirname(uploadPath(id)), { recursive: true });
  const stream = createWriteStream(uploadPath(id));
  stream.end();
  await once(stream, "finish");
  return prisma.upload.create({
    data: { id, fileName: input.fileName.replace(/[\\/]/g, "_").slice(0, 255), size: input.size, host: hostname(), createdById: input.userId, completedAt: input.size === 0 ? new Date() : null },
  });
}

export async function getUpload(prisma: Pick<PrismaClient, "upload">, id: string, userId: string) {
  const upload = await prisma.upload.findUnique({ where: { id } });
  if (!upload || upload.createdById !== userId) throw new AppError("NOT_FOUND", "no such upload");
  if (upload.fileDeletedAt) {
    throw new AppError("NOT_FOUND", `the uploaded file was removed on ${upload.fileDeletedAt.toISOString().slice(0, 10)} (after its import, or unused for a while): upload it again`);
  }
  return upload;
}

/**
 * The chunk being written to each upload in this process. A newer PUT takes over from it (a
 * client retries when its connection dropped, which the server may not notice for minutes):
 * the older write is stopped and settled first, so two never interleave.
 */
const writing = new Map<string, { stop: AbortController; done: Promise<unknown> }>();

/** Appends one chunk at `offset`; returns the bytes received so far. */
export async function appendChunk(prisma: PrismaClient, input: { id: string; userId: string; offset: number; body: ReadableStream<Uint8Array> | null }) {
  const previous = writing.get(input.id);
  const stop = new AbortController();
  const done = (async () => {
    if (previous) {
      previous.stop.abort();
      await previous.done.catch(() => {});
    }
    return appendChunkAlone(prisma, input, stop.signal);
  })();
  const entry = { stop, done };
  writing.set(input.id, entry);
  try {
    return await done;
  } catch (error) {
    if (stop.signal.aborted) throw new AppError("CONFLICT", "a newer request for this upload took over from this one");
    throw error;
  } finally {
    if (writing.get(input.id) === entry) writing.delete(input.id);
  }
}

async function appendChunkAlone(prisma: PrismaClient, input: { id: string; userId: string; offset: number; body: ReadableStream<Uint8Array> | null }, signal: AbortSignal) {
  signal.throwIfAborted();
  const upload = await getUpload(prisma, input.id, input.userId);
  if (upload.completedAt) throw new AppError("CONFLICT", "this upload is complete");
  // Marked before the bytes are written, in one statement with the sweep's check: the sweep's
  // own update then sees this chunk and keeps the file, or has removed it already and this
  // chunk is told so (both updates take the row's lock; the second re-reads it).
  const touched = await prisma.upload.updateMany({ where: { id: upload.id, fileDeletedAt: null }, data: { lastChunkAt: new Date() } });
  if (touched.count === 0) await getUpload(prisma, input.id, input.userId);
  const file = uploadPath(upload.id);
  const onDisk = statSync(file, { throwIfNoEntry: false })?.size;
  if (onDisk === undefined) throw new AppError("NOT_FOUND", "the upload's file is not on this instance (see README: several instances need a shared data folder)");
  const received = Number(upload.received);
  // Bytes past `received` are what is left of a chunk whose PUT was cut off with its process.
  if (onDisk > received) truncateSync(file, received);
  else if (onDisk < received) throw new AppError("CONFLICT", `the uploaded file holds ${onDisk} of the ${received} bytes received: upload it again`);
  if (input.offset !== received) throw new AppError("CONFLICT", `expected the chunk at offset ${received}`);
  if (!input.body) throw new AppError("INVALID", "empty chunk");
  let written = 0;
  const size = Number(upload.size);
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      if (received + written > size) done(new AppError("INVALID", "more bytes than the announced size"));
      else done(null, chunk);
    },
  });
  // A chunk that fails leaves its bytes past `received`, cut off by the next PUT (not here: with a
  // data folder shared by several instances, a retry may already have written them on another).
  await pipeline(Readable.fromWeb(input.body as NodeReadableStream<Uint8Array>), limit, createWriteStream(file, { flags: "r+", start: received }), { signal });
  const now = received + written;
  await prisma.upload.update({ where: { id: upload.id }, data: { received: now, completedAt: now === size ? new Date() : null } });
  return { received: now, size, complete: now === size };
}

/**
 * Removes from the data folder the uploads no import needs: at once when an import of it has
 * completed (its rows are in the database), else once nothing has happened to it for
 * `retentionMs` (an upload abandoned half-way, or one whose import failed and was not run again).
 * Never while an import of it is queued or running: the row is marked first, in the same
 * statement that checks that, and a job is only created from an unmarked upload row it has
 * locked (lib/io/start.ts), so no job starts on a file being removed. Only files this instance
 * can see are removed; `uploadId` limits the sweep to one upload (after its job ended).
 */
export async function sweepUploads(prisma: PrismaClient, retentionMs: number, options: { uploadId?: string } = {}): Promise<string[]> {
  const idle = new Date(Date.now() - retentionMs);
  // Prisma keeps DateTime columns as UTC wall time (timestamp without time zone): compare and
  // write in UTC, whatever the session's time zone. The same test picks the candidates and is
  // checked again when one is marked, under its row's lock (a chunk or a job may have come since).
  const removable = Prisma.sql`u.file_deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.upload_id = u.id AND j.status IN ('queued', 'running'))
      AND (EXISTS (SELECT 1 FROM import_jobs j WHERE j.upload_id = u.id AND j.status = 'completed')
           OR greatest(u.created_at, u.completed_at, u.last_chunk_at, (SELECT max(j.finished_at) FROM import_jobs j WHERE j.upload_id = u.id))
              < (${idle}::timestamptz AT TIME ZONE 'UTC'))`;
  const candidates = await prisma.$queryRaw<{ id: string; host: string }[]>`
    SELECT u.id, u.host FROM uploads u
    WHERE (${options.uploadId ?? null}::text IS NULL OR u.id = ${options.uploadId ?? null}) AND ${removable}`;
  const removed: string[] = [];
  for (const { id, host } of candidates) {
    const file = uploadPath(id);
    // A file on another instance's disk is that instance's to remove (a shared folder shows it here).
    if (!existsSync(file) && host !== hostname()) continue;
    const marked = await prisma.$transaction(async (tx) => {
      // The lock first: a job being created from this upload holds it until its row is committed,
      // which the next statement (a new snapshot) then sees.
      await tx.$queryRaw`SELECT 1 FROM uploads WHERE id = ${id} FOR UPDATE`;
      return tx.$executeRaw`UPDATE uploads u SET file_deleted_at = timezone('UTC', now()) WHERE u.id = ${id} AND ${removable}`;
    });
    if (marked === 0) continue;
    rmSync(file, { force: true });
    removed.push(id);
  }
  return removed;
}
