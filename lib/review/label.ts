// Labeling inside a queue: the expert's label (lib/labels, optimistic concurrency, history,
// gold) and the queue's bookkeeping (the assignment is done, skipped or held again) in one
// transaction. A label that arrives after the expert's claim lapsed is still saved: no label is
// ever lost for the sake of the overlap count.
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { revertLabelChangeTx } from "@/lib/labels/revert";
import { setExpertLabelTx, ZSetLabel } from "@/lib/labels/set-label";
import { finishAssignment, requireMember } from "./handout";
import { judgmentsOf, reviewItems } from "./items";
import { ZRowId } from "@/lib/db/values";

export const ZQueueLabel = ZSetLabel.extend({ queueId: ZRowId });
export const ZQueueItem = z.object({ queueId: ZRowId, responseId: ZRowId });
export const ZQueueUndo = z.object({ queueId: ZRowId, historyId: ZRowId });

export async function labelQueueItem(prisma: PrismaClient, user: { id: string }, input: z.input<typeof ZQueueLabel>) {
  const { queueId, ...label } = ZQueueLabel.parse(input);
  return prisma.$transaction(async (tx) => {
    const queue = await requireMember(tx, queueId, user.id);
    await finishAssignment(tx, queueId, user.id, label.responseId, "done");
    const result = await setExpertLabelTx(tx, user, label);
    // Blind queues reveal the judges once the expert has labeled.
    const judgments = queue.blind ? ((await judgmentsOf(tx, [label.responseId])).get(label.responseId) ?? []) : null;
    return { ...result, judgments };
  });
}

export async function skipQueueItem(prisma: PrismaClient, user: { id: string }, input: z.input<typeof ZQueueItem>) {
  const { queueId, responseId } = ZQueueItem.parse(input);
  return prisma.$transaction(async (tx) => {
    await requireMember(tx, queueId, user.id);
    await finishAssignment(tx, queueId, user.id, responseId, "skipped");
    return { skipped: responseId };
  });
}

/** Z on the review screen: the label change is undone and the item is the expert's to label again. */
export async function undoQueueLabel(prisma: PrismaClient, user: { id: string }, input: z.input<typeof ZQueueUndo>) {
  const { queueId, historyId } = ZQueueUndo.parse(input);
  return prisma.$transaction(async (tx) => {
    const queue = await requireMember(tx, queueId, user.id);
    const result = await revertLabelChangeTx(tx, user, historyId);
    await finishAssignment(tx, queueId, user.id, result.responseId, result.label ? "done" : "claimed");
    // The item as the screen shows it (blind rules applied to the label now in place), for a screen
    // that no longer holds it: the undo of a label given before a reload.
    const [item] = await reviewItems(tx, user, [result.responseId], queue.blind);
    return { ...result, item: item ?? null };
  });
}
