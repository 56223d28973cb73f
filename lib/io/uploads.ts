// Uploads: a file sent in chunks (each PUT carries the bytes at `offset`), written straight to
// STUDIO_DATA_DIR/uploads/<id>, never held in memory. A chunk sent twice (a retry) is accepted
// when its offset matches what is on disk, so an interrupted upload resumes where it stopped.
// The file lives on the disk of the instance that received it (`host`): with several app
// instances, give them one shared data folder (see README, "Scaling out").
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, statSync } from "node:fs";
import { once } from "node:events";
import { hostname } from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import type { PrismaClient } from "@/lib/db/generated/client";
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
  return upload;
}

/** Appends one chunk at `offset`; returns the bytes received so far. */
export async function appendChunk(prisma: PrismaClient, input: { id: string; userId: string; offset: number; body: ReadableStream<Uint8Array> | null }) {
  const upload = await getUpload(prisma, input.id, input.userId);
  if (upload.completedAt) throw new AppError("CONFLICT", "this upload is complete");
  const file = uploadPath(upload.id);
  const onDisk = statSync(file, { throwIfNoEntry: false })?.size;
  if (onDisk === undefined) throw new AppError("NOT_FOUND", "the upload's file is not on this instance (see README: several instances need a shared data folder)");
  if (input.offset !== onDisk) throw new AppError("CONFLICT", `expected the chunk at offset ${onDisk}`);
  if (!input.body) throw new AppError("INVALID", "empty chunk");
  let written = 0;
  const size = Number(upload.size);
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      if (onDisk + written > size) done(new AppError("INVALID", "more bytes than the announced size"));
      else done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(input.body as NodeReadableStream<Uint8Array>), limit, createWriteStream(file, { flags: "r+", start: onDisk }));
  const received = onDisk + written;
  await prisma.upload.update({ where: { id: upload.id }, data: { received, completedAt: received === size ? new Date() : null } });
  return { received, size, complete: received === size };
}
