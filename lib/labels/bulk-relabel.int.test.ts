// Bulk relabel and its undo, and the adjudicator's decision, against a real database. Expected
// counts are worked out by hand from the fixture (lib/review/test-fixture.ts: 72B says YES on
// even indexes) and the labels each test writes.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { AppError } from "@/lib/errors";
import { sourceWhere } from "@/lib/review/create";
import { reviewFixture } from "@/lib/review/test-fixture";
import { adjudicate } from "./adjudicate";
import { applyBulkRelabel, previewBulkRelabel, undoBulkRelabel } from "./bulk-relabel";
import { setExpertLabel } from "./set-label";
import { createUser } from "@/lib/users/create";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
});

const gold = async (ids: number[]) =>
  (await prisma.response.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, select: { goldLabel: true } })).map((r) => r.goldLabel);

async function target(filter: string) {
  const { datasetId, where } = await sourceWhere(prisma, { filter });
  return { datasetId, where, filter };
}

describe("bulk relabel", () => {
  it("previews, applies with history, refuses a stale count, and undoes as one step", async () => {
    const fx = await reviewFixture(prisma, 6);
    const [i0, i1, i2, , i4] = fx.ids as [number, number, number, number, number];
    // Before: the researcher already says "incorrect" on i2 (will change) ; Ada says "correct" on i4.
    await setExpertLabel(prisma, fx.researcher, { responseId: i2, value: "incorrect", note: "", expectedVersion: null });
    await setExpertLabel(prisma, fx.e1, { responseId: i4, value: "correct", note: "", expectedVersion: null });
    // Ada and Bob disagree on i1 (not selected: 72B says NO there).
    await setExpertLabel(prisma, fx.e1, { responseId: i1, value: "correct", note: "", expectedVersion: null });
    await setExpertLabel(prisma, fx.e2, { responseId: i1, value: "incorrect", note: "", expectedVersion: null });

    // Selection: 72B says YES -> indexes 0, 2, 4.
    const t = await target(`dataset=${fx.datasetId}&verdict=${fx.big.id}:YES`);
    const input = { value: "incorrect" as const, note: "reference was wrong" };
    // i0: new label; i2: incorrect -> incorrect but note differs: a change; i4: new label.
    // Gold: i0 none -> incorrect (changes); i2 incorrect -> incorrect (same); i4 correct -> tie null (changes).
    expect(await previewBulkRelabel(prisma, fx.researcher, t, input)).toEqual({ matched: 3, changes: 3, newLabels: 2, goldChanges: 2 });

    // A count that no longer matches is refused and nothing changes.
    const stale = (await applyBulkRelabel(prisma, fx.researcher, t, { ...input, expectedChanges: 2 }).catch((e: unknown) => e)) as AppError;
    expect(stale.code).toBe("CONFLICT");
    expect(await prisma.labelBatch.count()).toBe(0);

    const applied = await applyBulkRelabel(prisma, fx.researcher, t, { ...input, expectedChanges: 3 });
    expect(applied.changed).toBe(3);
    expect(await gold([i0, i2, i4])).toEqual(["incorrect", "incorrect", null]);
    const history = await prisma.expertLabelHistory.findMany({ where: { batchId: applied.batchId }, orderBy: { responseId: "asc" } });
    expect(history.map((h) => [h.responseId, h.oldValue, h.newValue, h.newNote, h.version, h.changedById])).toEqual([
      [i0, null, "incorrect", "reference was wrong", 1, fx.researcher.id],
      [i2, "incorrect", "incorrect", "reference was wrong", 2, fx.researcher.id],
      [i4, null, "incorrect", "reference was wrong", 1, fx.researcher.id],
    ]);
    // Applying the same again changes nothing.
    expect(await previewBulkRelabel(prisma, fx.researcher, t, input)).toMatchObject({ changes: 0 });

    // Someone changes i0 by hand after the bulk step: the undo keeps that label.
    await setExpertLabel(prisma, fx.researcher, { responseId: i0, value: "unsure", note: "", expectedVersion: 1 });

    // Another researcher may not undo it (the labels are this researcher's), and nothing changes.
    const other = await createUser(prisma, { name: "Other", email: "other@example.com", password: "a-long-password-other", role: "researcher" });
    const refused = (await undoBulkRelabel(prisma, other, applied.batchId).catch((e: unknown) => e)) as AppError;
    expect(refused.code).toBe("FORBIDDEN");
    expect(await prisma.labelBatch.count({ where: { kind: "undo" } })).toBe(0);
    expect(await gold([i0, i2, i4])).toEqual(["unsure", "incorrect", null]);

    const undo = await undoBulkRelabel(prisma, fx.researcher, applied.batchId);
    expect(undo).toEqual({ restored: 2, kept: 1 });
    const labels = await prisma.expertLabel.findMany({ where: { annotator: fx.researcher.id }, orderBy: { responseId: "asc" }, select: { responseId: true, value: true, note: true, version: true } });
    expect(labels).toEqual([
      { responseId: i0, value: "unsure", note: "", version: 2 }, // kept
      { responseId: i2, value: "incorrect", note: "", version: 3 }, // note restored
      // i4: the researcher's label is removed again
    ]);
    expect(await gold([i0, i2, i4])).toEqual(["unsure", "incorrect", "correct"]);
    expect((await prisma.labelBatch.findUniqueOrThrow({ where: { id: applied.batchId } })).undoneAt).not.toBeNull();
    const undoRows = await prisma.expertLabelHistory.findMany({ where: { batch: { undoesId: applied.batchId } }, orderBy: { responseId: "asc" } });
    expect(undoRows.map((h) => [h.responseId, h.oldValue, h.newValue, h.version])).toEqual([
      [i2, "incorrect", "incorrect", 3],
      [i4, "incorrect", null, 2],
    ]);
    // Undo twice: refused.
    expect(((await undoBulkRelabel(prisma, fx.researcher, applied.batchId).catch((e: unknown) => e)) as AppError).code).toBe("CONFLICT");
    expect(await gold([i1])).toEqual([null]);
  });
});

describe("gold label with an adjudicator", () => {
  it("takes the decision where experts disagree, the majority where they agree", async () => {
    const fx = await reviewFixture(prisma, 2);
    const [a, b] = fx.ids as [number, number];
    // a: Ada correct, Bob incorrect, Cy correct -> majority correct
    await setExpertLabel(prisma, fx.e1, { responseId: a, value: "correct", note: "", expectedVersion: null });
    await setExpertLabel(prisma, fx.e2, { responseId: a, value: "incorrect", note: "", expectedVersion: null });
    await setExpertLabel(prisma, fx.e3, { responseId: a, value: "correct", note: "", expectedVersion: null });
    expect(await gold([a])).toEqual(["correct"]);
    // They disagree: the adjudicator's decision is the gold label, against the majority.
    await adjudicate(prisma, fx.researcher, { responseId: a, value: "incorrect", note: "the date is off", expectedVersion: null });
    expect(await gold([a])).toEqual(["incorrect"]);
    // A stale decision is refused with the current one.
    const stale = (await adjudicate(prisma, fx.researcher, { responseId: a, value: "correct", note: "", expectedVersion: null }).catch((e: unknown) => e)) as AppError;
    expect(stale.code).toBe("CONFLICT");
    expect(stale.details).toEqual({ current: { value: "incorrect", note: "the date is off", version: 1 } });
    // Bob comes round to correct: no disagreement left, the majority (correct) is gold again.
    await setExpertLabel(prisma, fx.e2, { responseId: a, value: "correct", note: "", expectedVersion: 1 });
    expect(await gold([a])).toEqual(["correct"]);
    // Where experts agree, no decision can be made.
    await setExpertLabel(prisma, fx.e1, { responseId: b, value: "correct", note: "", expectedVersion: null });
    const refused = (await adjudicate(prisma, fx.researcher, { responseId: b, value: "incorrect", note: "", expectedVersion: null }).catch((e: unknown) => e)) as AppError;
    expect(refused.code).toBe("INVALID");
    expect(await prisma.auditEvent.count({ where: { action: "adjudication.set" } })).toBe(1);
  });
});
