// Renaming a dataset and changing its description: the name stays unique, a dataset being deleted
// is not changed, nothing changed records nothing, and every change is audited with before/after.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { updateDataset } from "./update";

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

  it("refuses a dataset being deleted, or none", async () => {
    const a = await prisma.dataset.create({ data: { name: "going", deletingAt: new Date() } });
    await expect(updateDataset(prisma, a.id, { name: "kept" }, "r")).rejects.toMatchObject({ code: "CONFLICT", message: 'dataset "going" is being deleted' });
    await expect(updateDataset(prisma, a.id + 1, { name: "x" }, "r")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
