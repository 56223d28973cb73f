// Deleting an export's files against a real database and data folder: who may, what it leaves
// (the row, its manifest, an audit event) and what it refuses (twice, before the export ends).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, inject } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { importFile } from "../import-file";
import { deleteExportFiles, exportArchive, exportFile } from "./files";
import { createExport, exportDir, runExport } from "./run";

const prisma = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "export-files-"));
process.env.STUDIO_DATA_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const user = (id: string, role: "researcher" | "admin") => prisma.user.create({ data: { id, name: id, email: `${id}@example.test`, role } });

async function finishedExport(actorId: string) {
  const file = path.join(dir, "items.jsonl");
  writeFileSync(file, [1, 2, 3].map((i) => JSON.stringify({ question: `q${i}?`, reference: "r", response: `a${i}` })).join("\n") + "\n");
  const { datasetId } = await importFile(prisma, { path: file, dataset: "d" });
  const row = await createExport(prisma, { options: { kind: "flat", datasetId, format: "jsonl" }, actorId, source: "ui" });
  await runExport(prisma, inject("databaseUrl"), row.id);
  return prisma.export.findUniqueOrThrow({ where: { id: row.id } });
}

beforeEach(async () => {
  await resetDb();
});

describe("deleting an export's files", () => {
  it("lets its maker delete them, keeps the row and manifest, records who, and serves nothing after", async () => {
    const maker = await user("maker", "researcher");
    const done = await finishedExport(maker.id);
    expect(done.status).toBe("completed");
    const name = (done.manifest as { files: { name: string }[] }).files[0]!.name;
    await expect(exportFile(done.id, name)).resolves.toMatchObject({ size: expect.any(Number) });

    await deleteExportFiles(done.id, maker);

    expect(existsSync(exportDir(done.id))).toBe(false);
    const after = await prisma.export.findUniqueOrThrow({ where: { id: done.id } });
    expect(after.filesDeletedById).toBe(maker.id);
    expect(after.filesDeletedAt).toBeInstanceOf(Date);
    expect(after.status).toBe("completed");
    expect(after.manifest).toEqual(done.manifest);
    const audit = await prisma.auditEvent.findMany({ where: { action: "export.delete_files" } });
    expect(audit).toMatchObject([{ actorId: maker.id, entity: "export", entityId: String(done.id) }]);
    await expect(exportFile(done.id, name)).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/were deleted on/) });
    await expect(exportFile(done.id, "manifest.json")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(exportArchive(done.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteExportFiles(done.id, maker)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses another researcher, lets an admin, and refuses an export that has not finished or does not exist", async () => {
    const maker = await user("maker", "researcher");
    const other = await user("other", "researcher");
    const admin = await user("admin", "admin");
    const done = await finishedExport(maker.id);

    await expect(deleteExportFiles(done.id, other)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(existsSync(exportDir(done.id))).toBe(true);
    expect((await prisma.export.findUniqueOrThrow({ where: { id: done.id } })).filesDeletedAt).toBeNull();

    await deleteExportFiles(done.id, admin);
    expect(existsSync(exportDir(done.id))).toBe(false);
    expect((await prisma.export.findUniqueOrThrow({ where: { id: done.id } })).filesDeletedById).toBe(admin.id);

    const queued = await createExport(prisma, { options: { kind: "flat", datasetId: done.datasetId!, format: "csv" }, actorId: maker.id, source: "ui" });
    await expect(deleteExportFiles(queued.id, maker)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/queued/) });
    await expect(deleteExportFiles(queued.id + 100, admin)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
