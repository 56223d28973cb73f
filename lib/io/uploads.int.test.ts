// The uploads sweep against a real database and data folder: which uploaded files go (imported,
// or unused past the retention), which stay (needed by a queued or running import, recent, on
// another instance's disk), and what a removed upload answers afterwards.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import type { JobStatus } from "@/lib/db/generated/client";
import { startImportFromUpload } from "./start";
import { appendChunk, createUpload, getUpload, sweepUploads, uploadPath } from "./uploads";

const prisma = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "uploads-"));
process.env.STUDIO_DATA_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

beforeEach(async () => {
  await resetDb();
  await prisma.user.create({ data: { id: "u", name: "u", email: "u@example.test", role: "researcher" } });
});

async function upload(name: string, options: { createdAt?: Date; lastChunkAt?: Date; complete?: boolean; host?: string; file?: boolean } = {}) {
  const row = await prisma.upload.create({
    data: {
      id: crypto.randomUUID(), fileName: name, size: 10, received: 10, host: options.host ?? hostname(), createdById: "u", createdAt: options.createdAt ?? new Date(),
      lastChunkAt: options.lastChunkAt, completedAt: options.complete === false ? null : (options.createdAt ?? new Date()),
    },
  });
  if (options.file !== false) {
    mkdirSync(path.dirname(uploadPath(row.id)), { recursive: true });
    writeFileSync(uploadPath(row.id), '{"question":"q?","reference":"a","response":"a"}\n');
  }
  return row;
}

const job = (uploadId: string, status: JobStatus, finishedAt: Date | null = new Date()) =>
  prisma.importJob.create({ data: { datasetName: "d", fileName: "f.jsonl", filePath: uploadPath(uploadId), format: "jsonl", kind: "items", source: "ui", status, uploadId, finishedAt } });

describe("sweepUploads", () => {
  it("removes imported and long-unused uploads, keeps the ones an import needs or that are recent", async () => {
    const imported = await upload("imported");
    await job(imported.id, "failed", ago(1));
    await job(imported.id, "completed");
    const importing = await upload("importing");
    await job(importing.id, "completed");
    await job(importing.id, "running", null);
    const failedRecently = await upload("failed-recently", { createdAt: ago(100) });
    await job(failedRecently.id, "failed", ago(2));
    const failedLongAgo = await upload("failed-long-ago", { createdAt: ago(100) });
    await job(failedLongAgo.id, "interrupted", ago(80));
    const abandoned = await upload("abandoned", { createdAt: ago(80), complete: false });
    const fresh = await upload("fresh", { complete: false });
    const elsewhere = await upload("elsewhere", { createdAt: ago(100), host: "another-instance", file: false });
    const goneHere = await upload("gone-here", { createdAt: ago(100), file: false });

    const removed = await sweepUploads(prisma, 72 * HOUR);

    expect(new Set(removed)).toEqual(new Set([imported.id, failedLongAgo.id, abandoned.id, goneHere.id]));
    for (const u of [imported, failedLongAgo, abandoned]) expect(existsSync(uploadPath(u.id)), u.fileName).toBe(false);
    for (const u of [importing, failedRecently, fresh]) expect(existsSync(uploadPath(u.id)), u.fileName).toBe(true);
    const marked = await prisma.upload.findMany({ where: { fileDeletedAt: { not: null } }, select: { id: true, fileDeletedAt: true } });
    expect(new Set(marked.map((m) => m.id))).toEqual(new Set(removed));
    for (const m of marked) expect(Math.abs(m.fileDeletedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: elsewhere.id } })).fileDeletedAt).toBeNull();
    // A second sweep finds nothing more.
    expect(await sweepUploads(prisma, 72 * HOUR)).toEqual([]);
  });

  it("sweeps one upload when asked, and a removed upload says so instead of starting an import", async () => {
    const a = await upload("a");
    const b = await upload("b");
    await job(a.id, "completed");
    await job(b.id, "completed");
    expect(await sweepUploads(prisma, 72 * HOUR, { uploadId: a.id })).toEqual([a.id]);
    expect(existsSync(uploadPath(b.id))).toBe(true);

    await expect(getUpload(prisma, a.id, "u")).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/^the uploaded file was removed on \d{4}-\d\d-\d\d .*upload it again$/) });
    await expect(startImportFromUpload({ uploadId: a.id, dataset: "d", kind: "items", mapping: {}, strict: false }, "u", "ui")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.importJob.count({ where: { uploadId: a.id } })).toBe(1);
  });

  it("gives a start sent again while its import is under way the job already running, and refuses another import of the file meanwhile", async () => {
    const a = await upload("twice");
    const options = { annotator: null, judge: null };
    const running = await prisma.importJob.create({
      data: { datasetName: "d", fileName: "twice", filePath: uploadPath(a.id), format: "jsonl", kind: "items", mapping: {}, options, strict: false, source: "ui", uploadId: a.id, createdById: "u", status: "running" },
    });
    const start = { uploadId: a.id, dataset: "d", kind: "items" as const, mapping: {}, strict: false };
    // A double click: the same start, the same job, no second one.
    expect(await startImportFromUpload(start, "u", "ui")).toEqual({ id: running.id });
    expect(await prisma.importJob.count({ where: { uploadId: a.id } })).toBe(1);
    // Another import of the file (another dataset) waits until that one is done.
    await expect(startImportFromUpload({ ...start, dataset: "other" }, "u", "ui")).rejects.toMatchObject({ code: "CONFLICT", message: `import ${running.id} of this file is under way: start another once it is done` });
    expect(await prisma.importJob.count({ where: { uploadId: a.id } })).toBe(1);
  });

  it("counts the retention from the last chunk, which marks the upload before its bytes are written", async () => {
    // Started 100 hours ago and still being sent: slow, not abandoned.
    const sending = await upload("sending", { createdAt: ago(100), lastChunkAt: ago(1), complete: false });
    const stalled = await upload("stalled", { createdAt: ago(100), lastChunkAt: ago(80), complete: false });
    expect(await sweepUploads(prisma, 72 * HOUR)).toEqual([stalled.id]);
    expect(existsSync(uploadPath(sending.id))).toBe(true);

    // A chunk of a long-idle upload: marked as it arrives, so the sweep keeps it.
    const slow = await prisma.upload.create({ data: { id: crypto.randomUUID(), fileName: "slow", size: 20, received: 10, host: hostname(), createdById: "u", createdAt: ago(100) } });
    writeFileSync(uploadPath(slow.id), "0123456789");
    const chunk = (text: string) => new Response(text).body;
    expect(await appendChunk(prisma, { id: slow.id, userId: "u", offset: 10, body: chunk("abcde") })).toEqual({ received: 15, size: 20, complete: false });
    const marked = await prisma.upload.findUniqueOrThrow({ where: { id: slow.id } });
    expect(Math.abs(marked.lastChunkAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await sweepUploads(prisma, 72 * HOUR)).toEqual([]);

    // Idle again past the retention: swept, and its next chunk is told so, writing nothing.
    await prisma.upload.update({ where: { id: slow.id }, data: { lastChunkAt: ago(80) } });
    expect(await sweepUploads(prisma, 72 * HOUR)).toEqual([slow.id]);
    await expect(appendChunk(prisma, { id: slow.id, userId: "u", offset: 15, body: chunk("fghij") })).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/upload it again$/) });
    expect(existsSync(uploadPath(slow.id))).toBe(false);
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: slow.id } })).received).toBe(15n);
  });

  // Two sessions at once: the embedded database serves one.
  it.skipIf(inject("embeddedDatabase"))("keeps an upload whose chunk is marked in another transaction while the sweep looks at it", async () => {
    const a = await upload("a", { createdAt: ago(100), complete: false });
    const other = new pg.Client({ connectionString: inject("databaseUrl") });
    await other.connect();
    try {
      // A chunk's mark, held uncommitted while the sweep runs: its candidates are read before the
      // mark is committed, and its own update must see it.
      await other.query("BEGIN");
      await other.query("UPDATE uploads SET last_chunk_at = timezone('UTC', now()) WHERE id = $1", [a.id]);
      const sweeping = sweepUploads(prisma, 72 * HOUR);
      await new Promise((r) => setTimeout(r, 300));
      await other.query("COMMIT");
      expect(await sweeping).toEqual([]);
      expect(existsSync(uploadPath(a.id))).toBe(true);
    } finally {
      await other.end();
    }
  });

  // Two sessions at once: the embedded database serves one.
  it.skipIf(inject("embeddedDatabase"))("leaves an upload alone while a job is being created from it in another transaction", async () => {
    const a = await upload("a");
    await job(a.id, "completed");
    const other = new pg.Client({ connectionString: inject("databaseUrl") });
    await other.connect();
    try {
      // What lib/io/start.ts does: lock the upload's row, create the job, commit.
      await other.query("BEGIN");
      await other.query("SELECT 1 FROM uploads WHERE id = $1 FOR UPDATE", [a.id]);
      await other.query(`INSERT INTO import_jobs (dataset_name, file_name, file_path, format, kind, source, upload_id) VALUES ('d', 'a', $2, '', 'items', 'ui', $1)`, [a.id, uploadPath(a.id)]);
      const sweeping = sweepUploads(prisma, 72 * HOUR);
      await new Promise((r) => setTimeout(r, 300));
      await other.query("COMMIT");
      expect(await sweeping).toEqual([]);
      expect(existsSync(uploadPath(a.id))).toBe(true);
      expect((await prisma.upload.findUniqueOrThrow({ where: { id: a.id } })).fileDeletedAt).toBeNull();
    } finally {
      await other.end();
    }
  });
});

// A client resumes at what GET reports (the row's `received`): that must be where the next chunk
// is accepted, whatever became of an interrupted one.
describe("resuming an upload", () => {
  const bytes = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
  /** A chunk whose connection drops after `text`. */
  const cutOff = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.error(new Error("connection reset"));
      },
    });
  const send = (id: string, offset: number, body: ReadableStream<Uint8Array>) => appendChunk(prisma, { id, userId: "u", offset, body });

  it("after a chunk cut off mid-way, at the bytes received before it", async () => {
    const { id } = await createUpload(prisma, { fileName: "f.jsonl", size: 10, userId: "u" });
    await send(id, 0, bytes("0123"));
    await expect(send(id, 4, cutOff("45"))).rejects.toThrow("connection reset");
    expect(Number((await getUpload(prisma, id, "u")).received)).toBe(4);
    await expect(send(id, 4, bytes("45678901234"))).rejects.toThrow("more bytes than the announced size");
    expect(Number((await getUpload(prisma, id, "u")).received)).toBe(4);
    expect(await send(id, 4, bytes("456789"))).toEqual({ received: 10, size: 10, complete: true });
    expect(readFileSync(uploadPath(id), "utf8")).toBe("0123456789");
  });

  it("after a process died while writing a chunk (its bytes on disk, not counted)", async () => {
    const { id } = await createUpload(prisma, { fileName: "f.jsonl", size: 10, userId: "u" });
    await send(id, 0, bytes("0123"));
    appendFileSync(uploadPath(id), "xyz"); // what the dead process wrote
    await expect(send(id, 7, bytes("789"))).rejects.toThrow("expected the chunk at offset 4");
    expect(await send(id, 4, bytes("456789"))).toMatchObject({ received: 10, complete: true });
    expect(readFileSync(uploadPath(id), "utf8")).toBe("0123456789");
  });

  it("a newer PUT takes over from one still being written (whose dropped connection the server has not noticed)", async () => {
    const { id } = await createUpload(prisma, { fileName: "f.jsonl", size: 10, userId: "u" });
    const hung = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("01234")); // and nothing more, ever
      },
    });
    const first = send(id, 0, hung);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const retry = send(id, 0, bytes("0123456789"));
    await expect(first).rejects.toThrow("a newer request for this upload took over");
    expect(await retry).toMatchObject({ received: 10, complete: true });
    expect(readFileSync(uploadPath(id), "utf8")).toBe("0123456789");
  });
});
