// Changing a queue's experts against a real database: its maker or an admin may; an expert added
// is handed items at once; one removed keeps their labels while what they held or skipped goes
// back to the others; the queue keeps as many experts as its overlap.
import { beforeEach, describe, expect, inject, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { createQueue } from "./create";
import { claimItems } from "./handout";
import { labelQueueItem, skipQueueItem } from "./label";
import { addQueueMember, removeQueueMember } from "./members";
import { reviewFixture } from "./test-fixture";
import { labelers } from "./queries";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
});

describe("a queue's experts", () => {
  it("are added and removed by the queue's maker or an admin; labels stay, held and skipped items go back", async () => {
    const fx = await reviewFixture(prisma, 6);
    const maker = { id: fx.researcher.id, role: "researcher" as const };
    const q = await createQueue(prisma, fx.researcher, { name: "q", source: { filter: `dataset=${fx.datasetId}` } as never, overlap: 2, blind: true, memberIds: [fx.e1.id, fx.e2.id] });

    // Not a member yet: no items for Cy. Added: handed items at once.
    await expect(claimItems(prisma, fx.e3, q.id, { count: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addQueueMember(prisma, q.id, fx.e3.id, { id: fx.e1.id, role: "researcher" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addQueueMember(prisma, q.id, fx.viewer.id, maker)).rejects.toMatchObject({ code: "INVALID" });
    await addQueueMember(prisma, q.id, fx.e3.id, maker);
    await expect(addQueueMember(prisma, q.id, fx.e3.id, maker)).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await claimItems(prisma, fx.e3, q.id, { count: 1 })).responseIds).toHaveLength(1);

    // Ada labels one, skips one and holds two; then she is removed.
    const { responseIds } = await claimItems(prisma, fx.e1, q.id, { count: 4 });
    await labelQueueItem(prisma, fx.e1, { queueId: q.id, responseId: responseIds[0]!, value: "correct", note: "", expectedVersion: null });
    await skipQueueItem(prisma, fx.e1, { queueId: q.id, responseId: responseIds[1]! });
    const removed = await removeQueueMember(prisma, q.id, fx.e1.id, { id: fx.viewer.id, role: "admin" });
    expect(removed.released).toBe(3); // one skipped, two held
    expect(await prisma.reviewAssignment.findMany({ where: { queueId: q.id, userId: fx.e1.id }, select: { state: true } })).toEqual([{ state: "done" }]);
    expect(await prisma.expertLabel.count({ where: { userId: fx.e1.id, responseId: responseIds[0]! } })).toBe(1);
    await expect(claimItems(prisma, fx.e1, q.id, { count: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Two experts left for an overlap of 2: neither can go.
    await expect(removeQueueMember(prisma, q.id, fx.e2.id, maker)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("it needs at least 2 experts.") });
    expect(await prisma.reviewQueueMember.count({ where: { queueId: q.id } })).toBe(2);
    await expect(removeQueueMember(prisma, q.id, fx.e1.id, maker)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A disabled account is not offered, cannot be added, and does not count toward the overlap.
    await prisma.user.update({ where: { id: fx.e1.id }, data: { disabledAt: new Date() } });
    expect((await labelers()).map((u) => u.id)).not.toContain(fx.e1.id);
    await expect(addQueueMember(prisma, q.id, fx.e1.id, maker)).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining("disabled") });
    await prisma.user.update({ where: { id: fx.e1.id }, data: { disabledAt: null } });
    const events = await prisma.auditEvent.findMany({ where: { entity: "review_queue", entityId: String(q.id) }, orderBy: { id: "asc" }, select: { action: true } });
    expect(events.map((e) => e.action).filter((a) => a.startsWith("review_queue.member"))).toEqual(["review_queue.member_add", "review_queue.member_remove"]);
  });

  // Two sessions at once: the embedded database serves one.
  it.skipIf(inject("embeddedDatabase"))("hands a removed expert nothing, even when their claim waited on the removal", async () => {
    const fx = await reviewFixture(prisma, 6);
    const q = await createQueue(prisma, fx.researcher, { name: "race", source: { filter: `dataset=${fx.datasetId}` } as never, overlap: 1, blind: true, memberIds: [fx.e1.id, fx.e2.id] });
    let claim: Promise<unknown> | undefined;
    // The removal holds the queue's lock while the claim starts; the claim goes on once it commits.
    await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM review_queues WHERE id = ${q.id} FOR UPDATE`;
      await tx.$executeRaw`DELETE FROM review_queue_members WHERE queue_id = ${q.id} AND user_id = ${fx.e1.id}`;
      claim = claimItems(prisma, fx.e1, q.id, { count: 3 }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
    });
    expect(await claim).toMatchObject({ code: "FORBIDDEN" });
    expect(await prisma.reviewAssignment.count({ where: { queueId: q.id, userId: fx.e1.id } })).toBe(0);
  });
});
