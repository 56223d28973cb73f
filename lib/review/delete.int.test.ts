// Deleting a review queue against a real database: its maker or an admin may; the queue, its
// items, members and assignments go, the labels given through it stay; every deletion is audited.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { createQueue } from "./create";
import { deleteQueue } from "./delete";
import { claimItems } from "./handout";
import { labelQueueItem } from "./label";
import { reviewFixture } from "./test-fixture";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
});

describe("deleteQueue", () => {
  it("lets its maker or an admin delete it: the queue's rows go, the labels stay", async () => {
    const fx = await reviewFixture(prisma, 6);
    const queue = (members: string[]) => createQueue(prisma, fx.researcher, { name: "to go", source: { filter: `dataset=${fx.datasetId}` } as never, overlap: 1, blind: true, memberIds: members });
    const q = await queue([fx.e1.id, fx.e2.id]);
    const keep = await queue([fx.e1.id]);
    const { responseIds } = await claimItems(prisma, fx.e1, q.id, { count: 2 });
    await labelQueueItem(prisma, fx.e1, { queueId: q.id, responseId: responseIds[0]!, value: "incorrect", note: "", expectedVersion: null });
    await claimItems(prisma, fx.e1, keep.id, { count: 1 });

    const other = { id: fx.e2.id, role: "researcher" as const };
    await expect(deleteQueue(prisma, q.id, other)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(deleteQueue(prisma, 999_999, { id: fx.researcher.id, role: "researcher" })).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect(await deleteQueue(prisma, q.id, { id: fx.researcher.id, role: "researcher" })).toEqual({ id: q.id, name: "to go" });
    const left = async (queueId: number) => ({
      queues: await prisma.reviewQueue.count({ where: { id: queueId } }),
      items: await prisma.reviewItem.count({ where: { queueId } }),
      members: await prisma.reviewQueueMember.count({ where: { queueId } }),
      assignments: await prisma.reviewAssignment.count({ where: { queueId } }),
    });
    expect(await left(q.id)).toEqual({ queues: 0, items: 0, members: 0, assignments: 0 });
    expect(await left(keep.id)).toEqual({ queues: 1, items: 6, members: 1, assignments: 1 });
    // The label given through the queue is the response's, and stays.
    expect(await prisma.expertLabel.findFirst({ where: { responseId: responseIds[0]!, userId: fx.e1.id }, select: { value: true } })).toEqual({ value: "incorrect" });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "review_queue.delete" } });
    expect(event).toMatchObject({ actorId: fx.researcher.id, entityId: String(q.id), data: { name: "to go", datasetId: fx.datasetId, items: 6, labels: 1 } });

    // An admin may delete anyone's queue.
    await deleteQueue(prisma, keep.id, { id: fx.viewer.id, role: "admin" });
    expect(await left(keep.id)).toEqual({ queues: 0, items: 0, members: 0, assignments: 0 });
  });
});
