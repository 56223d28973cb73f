// Renaming a dataset and changing its description: the name stays unique, a dataset being deleted
// is not changed, nothing changed records nothing, and every change is audited with before/after.
import pg from "pg";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importFile } from "@/lib/io/import-file";
import { updateDataset } from "./update";
import { caseTwinSql, lockNameSql } from "./names";
import { pgSql } from "@/lib/db/sql";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
  await prisma.user.create({ data: { id: "r", name: "R", email: "r@example.test", role: "researcher" } });
});

describe("updateDataset", () => {
  it("renames and describes, keeps the name unique, and audits each change", async () => {
    const a = await prisma.dataset.create({ data: { name: "a", description: "first" } });
    await prisma.dataset.create({ data: { name: "b" } });

    expect(await updateDataset(prisma, a.id, { name: "  a2 " }, "r")).toEqual({ id: a.id, name: "a2", description: "first" });
    expect(await updateDataset(prisma, a.id, { description: "about NQ" }, "r")).toEqual({ id: a.id, name: "a2", description: "about NQ" });
    await expect(updateDataset(prisma, a.id, { name: "b" }, "r")).rejects.toMatchObject({ code: "CONFLICT", message: 'a dataset named "b" exists already' });
    await expect(updateDataset(prisma, a.id, { name: "   " }, "r")).rejects.toMatchObject({ name: "ZodError" });
    // The same values again: no change, no event.
    await updateDataset(prisma, a.id, { name: "a2", description: "about NQ" }, "r");

    expect(await prisma.dataset.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ name: "a2", description: "about NQ" });
    const events = await prisma.auditEvent.findMany({ where: { action: "dataset.update" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.data)).toEqual([
      { from: { name: "a", description: "first" }, to: { name: "a2", description: "first" } },
      { from: { name: "a2", description: "first" }, to: { name: "a2", description: "about NQ" } },
    ]);
    expect(events.every((e) => e.actorId === "r" && e.entityId === String(a.id))).toBe(true);
  });

  it("refuses a change made from values another user changed meanwhile, naming the current ones; unknown fields are refused", async () => {
    const d = await prisma.dataset.create({ data: { name: "nq", description: "d0" } });
    // Two editors opened it as "nq"/"d0"; the first renames it.
    await updateDataset(prisma, d.id, { name: "nq-v2", description: "d0", expected: { name: "nq", description: "d0" } }, "r");
    // The second, changing only the description from the old page, would have put the old name back.
    await expect(updateDataset(prisma, d.id, { name: "nq", description: "d1", expected: { name: "nq", description: "d0" } }, "r")).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'The dataset was changed meanwhile: it is now named "nq-v2". Reload to edit what it is now.',
    });
    expect(await prisma.dataset.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ name: "nq-v2", description: "d0" });
    // From the current values it goes through.
    await updateDataset(prisma, d.id, { name: "nq-v2", description: "d1", expected: { name: "nq-v2", description: "d0" } }, "r");
    expect(await prisma.dataset.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ name: "nq-v2", description: "d1" });
    await expect(updateDataset(prisma, d.id, { nam: "x" } as never, "r")).rejects.toMatchObject({ name: "ZodError" });
  });

  it("refuses a name that differs from another dataset's only in case; a dataset may change the case of its own", async () => {
    const nq = await prisma.dataset.create({ data: { name: "openqa-eval NQ301" } });
    const other = await prisma.dataset.create({ data: { name: "other" } });
    await expect(updateDataset(prisma, other.id, { name: "OPENQA-EVAL nq301" }, "r")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining('a dataset named "openqa-eval NQ301" exists'),
    });
    expect(await updateDataset(prisma, nq.id, { name: "openqa-eval nq301" }, "r")).toMatchObject({ name: "openqa-eval nq301" });
    // and an import into a new dataset of such a name is refused, creating nothing
    const file = path.join(mkdtempSync(path.join(tmpdir(), "twin-")), "items.jsonl");
    writeFileSync(file, JSON.stringify({ question: "q?", reference: "r", response: "a" }) + "\n");
    await expect(importFile(prisma, { path: file, dataset: "OTHER" })).rejects.toMatchObject({ message: expect.stringContaining('a dataset named "other" exists') });
    expect(await prisma.dataset.count()).toBe(2);
    // into the dataset of exactly that name, it goes
    await importFile(prisma, { path: file, dataset: "other" });
    expect(await prisma.response.count({ where: { question: { datasetId: other.id } } })).toBe(1);
  });

  // Two sessions at once: the embedded database serves one.
  it.skipIf(inject("embeddedDatabase"))("makes an import or a rename wait for a twin being made in another transaction, then refuses it", async () => {
    const other = new pg.Client({ connectionString: inject("databaseUrl") });
    await other.connect();
    const sql = pgSql(other);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "twin-race-")), "items.jsonl");
    writeFileSync(file, JSON.stringify({ question: "q?", reference: "r", response: "a" }) + "\n");
    const renamed = await prisma.dataset.create({ data: { name: "to be renamed" } });
    try {
      // What an import or the reward endpoint does for a new name: the lock, the check, the row.
      const makeTwin = async (name: string) => {
        await other.query("BEGIN");
        await sql.query(lockNameSql(name));
        expect(await sql.query(caseTwinSql(name))).toEqual([]);
        await other.query("INSERT INTO datasets (name) VALUES ($1)", [name]);
      };
      await makeTwin("Race NQ");
      let settled = false;
      const importing = importFile(prisma, { path: file, dataset: "race nq" }).finally(() => (settled = true));
      importing.catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
      // Without the lock the import saw no committed twin and made "race nq" beside it.
      expect(settled).toBe(false);
      await other.query("COMMIT");
      await expect(importing).rejects.toMatchObject({ message: expect.stringContaining('a dataset named "Race NQ" exists') });

      await makeTwin("Second Race");
      const renaming = updateDataset(prisma, renamed.id, { name: "second RACE" }, "r");
      renaming.catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
      await other.query("COMMIT");
      await expect(renaming).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining('a dataset named "Second Race" exists') });

      const names = (await prisma.dataset.findMany({ select: { name: true }, orderBy: { id: "asc" } })).map((d) => d.name);
      expect(names).toEqual(["to be renamed", "Race NQ", "Second Race"]);
    } finally {
      await other.query("ROLLBACK").catch(() => {});
      await other.end();
    }
  });

  it("refuses a dataset being deleted, or none", async () => {
    const a = await prisma.dataset.create({ data: { name: "going", deletingAt: new Date() } });
    await expect(updateDataset(prisma, a.id, { name: "kept" }, "r")).rejects.toMatchObject({ code: "CONFLICT", message: 'dataset "going" is being deleted' });
    await expect(updateDataset(prisma, a.id + 1, { name: "x" }, "r")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
