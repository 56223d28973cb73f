"use server";
// Server actions of the review area: thin (validate, check the role, call lib/review).
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runAction } from "@/lib/http/action";
import { ZRowId } from "@/lib/db/values";
import { countSource, createQueue, type TCreateQueue } from "./create";
import { deleteQueue } from "./delete";
import { unskipItems } from "./handout";
import { labelQueueItem, skipQueueItem, undoQueueLabel, ZQueueItem, ZQueueLabel, ZQueueUndo } from "./label";
import { ZQueueSource, type TQueueSource } from "./source";
import { z } from "zod";
import { addQueueMember, removeQueueMember } from "./members";

export async function createQueueAction(input: TCreateQueue) {
  return runAction(async () => {
    const user = await requireRole("researcher");
    return createQueue(db(), user, input);
  });
}

export async function countQueueSourceAction(input: TQueueSource) {
  return runAction(async () => {
    await requireRole("researcher");
    return countSource(db(), ZQueueSource.parse(input));
  });
}

export async function labelQueueItemAction(input: z.input<typeof ZQueueLabel>) {
  return runAction(async () => {
    const parsed = ZQueueLabel.parse(input);
    const user = await requireRole("expert");
    return labelQueueItem(db(), user, parsed);
  });
}

export async function skipQueueItemAction(input: z.input<typeof ZQueueItem>) {
  return runAction(async () => {
    const parsed = ZQueueItem.parse(input);
    const user = await requireRole("expert");
    return skipQueueItem(db(), user, parsed);
  });
}

export async function undoQueueLabelAction(input: z.input<typeof ZQueueUndo>) {
  return runAction(async () => {
    const parsed = ZQueueUndo.parse(input);
    const user = await requireRole("expert");
    return undoQueueLabel(db(), user, parsed);
  });
}

export async function unskipQueueItemsAction(queueId: number) {
  return runAction(async () => {
    const user = await requireRole("expert");
    return unskipItems(db(), user, ZQueueItem.shape.queueId.parse(queueId));
  });
}

export async function deleteQueueAction(queueId: number) {
  return runAction(async () => {
    const id = ZRowId.parse(queueId);
    const user = await requireRole("researcher");
    return deleteQueue(db(), id, user);
  });
}

const ZMember = z.object({ queueId: ZRowId, userId: z.string().min(1).max(100) });

export async function addQueueMemberAction(input: z.input<typeof ZMember>) {
  return runAction(async () => {
    const { queueId, userId } = ZMember.parse(input);
    const user = await requireRole("researcher");
    return addQueueMember(db(), queueId, userId, user);
  });
}

export async function removeQueueMemberAction(input: z.input<typeof ZMember>) {
  return runAction(async () => {
    const { queueId, userId } = ZMember.parse(input);
    const user = await requireRole("researcher");
    return removeQueueMember(db(), queueId, userId, user);
  });
}
