// Changing who labels a queue after it was made: whoever made it, or an admin (as for deleting
// it). An expert added is handed its items from then on. An expert removed keeps the labels they
// gave (labels belong to the responses); the items they held or skipped go back to the others.
// A queue keeps at least as many experts as its overlap, or its items could never be finished.
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { hasRole, type TRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { mayDeleteQueue } from "./delete";

/** Who may change a queue's experts: the same as who may delete it. */
export const mayManageQueue = mayDeleteQueue;

type TActor = { id: string; role: TRole };

async function lockQueue(tx: Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0], queueId: number, actor: TActor) {
  const [queue] = await tx.$queryRaw<{ name: string; created_by_id: string | null; overlap: number }[]>`
    SELECT name, created_by_id, overlap FROM review_queues WHERE id = ${queueId} FOR UPDATE`;
  if (!queue) throw new AppError("NOT_FOUND", `no review queue ${queueId}`);
  if (!mayManageQueue(queue.created_by_id, actor)) throw new AppError("FORBIDDEN", "Only whoever made a queue, or an admin, may change its experts.");
  return queue;
}

export async function addQueueMember(prisma: PrismaClient, queueId: number, userId: string, actor: TActor) {
  return prisma.$transaction(async (tx) => {
    const queue = await lockQueue(tx, queueId, actor);
    const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true, role: true, disabledAt: true } });
    if (!user) throw new AppError("NOT_FOUND", "That user does not exist.");
    if (user.disabledAt) throw new AppError("INVALID", `${user.name}'s account is disabled: they cannot label.`);
    if (!hasRole(user.role, "expert")) throw new AppError("INVALID", `${user.name} is a ${user.role}: only experts, researchers and admins label.`);
    const added = await tx.$executeRaw`INSERT INTO review_queue_members (queue_id, user_id) VALUES (${queueId}, ${userId}) ON CONFLICT DO NOTHING`;
    if (added === 0) throw new AppError("CONFLICT", `${user.name} labels this queue already.`);
    await recordAudit(tx, { actorId: actor.id, action: "review_queue.member_add", entity: "review_queue", entityId: queueId, data: { userId, name: user.name, queue: queue.name } });
    return { queueId, userId };
  });
}

export async function removeQueueMember(prisma: PrismaClient, queueId: number, userId: string, actor: TActor) {
  return prisma.$transaction(async (tx) => {
    const queue = await lockQueue(tx, queueId, actor);
    // Experts who can label: a disabled account's membership does not count, and may always go.
    const [{ able, leaving } = { able: 0, leaving: false }] = await tx.$queryRaw<{ able: number; leaving: boolean }[]>`
      SELECT count(*) FILTER (WHERE u.disabled_at IS NULL)::int AS able,
        coalesce(bool_or(m.user_id = ${userId} AND u.disabled_at IS NULL), false) AS leaving
      FROM review_queue_members m JOIN users u ON u.id = m.user_id WHERE m.queue_id = ${queueId}`;
    const removed = await tx.$executeRaw`DELETE FROM review_queue_members WHERE queue_id = ${queueId} AND user_id = ${userId}`;
    if (removed === 0) throw new AppError("NOT_FOUND", "That user does not label this queue.");
    if (leaving && able - 1 < queue.overlap) {
      const experts = queue.overlap === 1 ? "1 expert" : `${queue.overlap} experts`;
      throw new AppError("CONFLICT", `The queue gives each item to ${experts}: it needs at least ${experts}. Add another expert first.`);
    }
    // Items they hold or skipped go back to the others; what they labeled stays done.
    const released = await tx.$executeRaw`DELETE FROM review_assignments WHERE queue_id = ${queueId} AND user_id = ${userId} AND state <> 'done'`;
    await recordAudit(tx, { actorId: actor.id, action: "review_queue.member_remove", entity: "review_queue", entityId: queueId, data: { userId, queue: queue.name, released } });
    return { queueId, userId, released };
  });
}
