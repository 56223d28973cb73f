// Running a failed or interrupted import again from its upload: the same options (or the good
// lines of a strict one), once per job, only by the uploader, never from a finished or CLI job.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { createImportJob, runImportJob } from "./import-job";
import { rerunImport } from "./start";
import { uploadPath } from "./uploads";

const prisma = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "rerun-"));
process.env.STUDIO_DATA_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  await resetDb();
});

const LINES = [
  JSON.stringify({ question: "q1?", reference: "a", answer: "a" }),
  "{not json",
  JSON.stringify({ question: "q2?", reference: "b", answer: "c" }),
];

/** An upload of `owner` holding LINES, and a strict import of it that failed at the bad line. */
async function failedStrictImport(owner: string) {
  await prisma.user.create({ data: { id: owner, name: owner, email: `${owner}@example.test`, role: "researcher" } });
  const upload = await prisma.upload.create({ data: { id: crypto.randomUUID(), fileName: "items.jsonl", size: 0, host: "h", createdById: owner, completedAt: new Date() } });
  mkdirSync(path.dirname(uploadPath(upload.id)), { recursive: true });
  writeFileSync(uploadPath(upload.id), LINES.join("\n") + "\n");
  const job = await createImportJob(prisma, {
    dataset: "d", kind: "items", fileName: "items.jsonl", filePath: uploadPath(upload.id), format: "jsonl",
    mapping: { response: "answer" }, strict: true, source: "ui", uploadId: upload.id, actorId: owner,
  });
  await runImportJob(prisma, job.id);
  return prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
}

async function finished(id: number) {
  for (let i = 0; i < 200; i++) {
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id } });
    if (job.status !== "queued" && job.status !== "running") return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} did not finish`);
}

describe("rerunImport", () => {
  it("imports the good lines of a failed strict import, with its mapping, once", async () => {
    const failed = await failedStrictImport("owner");
    expect(failed.status).toBe("failed");
    expect(await prisma.response.count()).toBe(0);

    const { id } = await rerunImport(failed.id, "owner", "ui", { strict: false });
    const again = await finished(id);
    expect(again).toMatchObject({ status: "completed", strict: false, uploadId: failed.uploadId, datasetName: "d", kind: "items", format: "jsonl", rejected: 1, createdById: "owner" });
    expect(again.mapping).toEqual({ response: "answer" });
    expect(await prisma.response.count()).toBe(2);
    expect((await prisma.importJob.findUniqueOrThrow({ where: { id: failed.id } })).rerunAsId).toBe(id);

    // Once per job: the second click is told which job ran it.
    await expect(rerunImport(failed.id, "owner", "ui", { strict: false })).rejects.toMatchObject({ code: "CONFLICT", message: `import ${failed.id} was already run again as import ${id}` });
    // A finished import does not run again.
    await expect(rerunImport(id, "owner", "ui")).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/is completed/) });
    expect(await prisma.importJob.count()).toBe(2);
  });

  it("keeps strict by default, and refuses another user, a job without an upload, and a file no longer there", async () => {
    const failed = await failedStrictImport("owner");
    await prisma.user.create({ data: { id: "other", name: "other", email: "other@example.test", role: "researcher" } });
    await expect(rerunImport(failed.id, "other", "ui")).rejects.toMatchObject({ code: "FORBIDDEN", message: `only the person who uploaded its file can run import ${failed.id} again` });
    expect((await prisma.importJob.findUniqueOrThrow({ where: { id: failed.id } })).rerunAsId).toBeNull();

    const { id } = await rerunImport(failed.id, "owner", "api");
    expect(await finished(id)).toMatchObject({ status: "failed", strict: true, source: "api" });
    expect(await prisma.response.count()).toBe(0);

    const cli = await prisma.importJob.create({ data: { datasetName: "d", fileName: "f.jsonl", filePath: "/nowhere", format: "jsonl", kind: "items", source: "cli", status: "interrupted" } });
    await expect(rerunImport(cli.id, "owner", "ui")).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/command line/) });

    rmSync(uploadPath(failed.uploadId!));
    await expect(rerunImport(id, "owner", "ui")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await prisma.importJob.findUniqueOrThrow({ where: { id } })).rerunAsId).toBeNull();
    await expect(rerunImport(9999, "owner", "ui")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
