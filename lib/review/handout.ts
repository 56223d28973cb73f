// Handing out a queue's items. Each item is labeled by `overlap` different experts. An expert
// holds an item (a claim) until they label or skip it, or until the claim lapses (LEASE), so an
// item is never held or done by more experts than the overlap asks for: two experts work the same
// item at once only when overlap > 1. Claims are made under a lock on the queue row, which
// serialises hand-outs of one queue (they take milliseconds); labels and skips do not take it.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { ZRowId } from "@/lib/db/values";

/** How long a claimed item stays held for an expert who does not act on it. Renewed on each hand-out. */
export const LEASE_MINUTES = 15;

export const ZClaim = z.object({
  count: z.number().int().min(1).max(50).default(5),
  /** response ids the client already holds: not handed out again */
  exclude: z.array(ZRowId).max(500).default([]),
});

export async function requireMember(tx: Prisma.TransactionClient, queueId: number, userId: string) {
  const queue = await tx.reviewQueue.findUnique({ where: { id: queueId }, select: { id: true, overlap: true, blind: true, itemCount: true } });
  if (!queue) throw new AppError("NOT_FOUND", `Queue ${queueId} does not exist.`);
  const member = await tx.reviewQueueMember.findUnique({ where: { queueId_userId: { queueId, userId } }, select: { userId: true } });
  if (!member) throw new AppError("FORBIDDEN", "You are not assigned to this queue.");
  return queue;
}

/**
 * Up to `count` items for the expert, in queue order: first those they already hold (renewed),
 * then new ones that fewer than `overlap` experts hold or have done. Returns response ids.
 */
export async function claimItems(prisma: PrismaClient, user: { id: string }, queueId: number, input: z.input<typeof ZClaim>) {
  const { count, exclude } = ZClaim.parse(input);
  return prisma.$transaction(async (tx) => {
    // The queue's lock first, then the membership: a removal (./members.ts) holding the lock has
    // committed by the time it is read, so a removed expert is not handed items meanwhile.
    await tx.$queryRaw`SELECT id FROM review_queues WHERE id = ${queueId} FOR UPDATE`;
    const queue = await requireMember(tx, queueId, user.id);
    // A lapsed claim of mine is given up: someone else may hold the item now.
    await tx.$executeRaw`DELETE FROM review_assignments WHERE queue_id = ${queueId} AND user_id = ${user.id} AND state = 'claimed' AND expires_at <= now()`;
    await tx.$executeRaw`
      UPDATE review_assignments SET expires_at = now() + make_interval(mins => ${LEASE_MINUTES})
      WHERE queue_id = ${queueId} AND user_id = ${user.id} AND state = 'claimed'`;
    // Index review_assignments(queue_id, user_id, state).
    const mine = await tx.$queryRaw<{ responseId: number; position: number }[]>`
      SELECT i.response_id AS "responseId", i.position FROM review_assignments a JOIN review_items i ON i.id = a.item_id
      WHERE a.queue_id = ${queueId} AND a.user_id = ${user.id} AND a.state = 'claimed' AND NOT (i.response_id = ANY(${exclude}::int[]))
      ORDER BY i.position LIMIT ${count}`;
    const need = count - mine.length;
    let fresh: { responseId: number; position: number }[] = [];
    if (need > 0) {
      // Index review_items(queue_id, position) walks the queue in order; review_assignments
      // (item_id, state) counts who holds or has done each item.
      fresh = await tx.$queryRaw<{ responseId: number; position: number }[]>`
        WITH picked AS (
          SELECT i.id, i.response_id, i.position FROM review_items i
          WHERE i.queue_id = ${queueId}
            AND NOT (i.response_id = ANY(${exclude}::int[]))
            AND NOT EXISTS (SELECT 1 FROM review_assignments a WHERE a.item_id = i.id AND a.user_id = ${user.id})
            AND (SELECT count(*) FROM review_assignments a WHERE a.item_id = i.id
                 AND (a.state = 'done' OR (a.state = 'claimed' AND a.expires_at > now()))) < ${queue.overlap}
          ORDER BY i.position
          LIMIT ${need}
        ), claimed AS (
          INSERT INTO review_assignments (item_id, queue_id, user_id, state, expires_at)
          SELECT id, ${queueId}, ${user.id}, 'claimed', now() + make_interval(mins => ${LEASE_MINUTES}) FROM picked
          ON CONFLICT (item_id, user_id) DO NOTHING
          RETURNING item_id
        )
        SELECT p.response_id AS "responseId", p.position FROM picked p JOIN claimed c ON c.item_id = p.id ORDER BY p.position`;
    }
    return { responseIds: [...mine, ...fresh].map((r) => r.responseId), blind: queue.blind };
  });
}

/** The expert's assignment of one item, created when missing (a lapsed claim is still honoured). */
export async function finishAssignment(
  tx: Prisma.TransactionClient,
  queueId: number,
  userId: string,
  responseId: number,
  state: "done" | "skipped" | "claimed",
) {
  const [item] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM review_items WHERE queue_id = ${queueId} AND response_id = ${responseId}`;
  if (!item) throw new AppError("NOT_FOUND", `Response ${responseId} is not in queue ${queueId}.`);
  await tx.$executeRaw`
    INSERT INTO review_assignments (item_id, queue_id, user_id, state, expires_at, finished_at)
    VALUES (${item.id}, ${queueId}, ${userId}, ${state}::assignment_state, now() + make_interval(mins => ${LEASE_MINUTES}),
      ${state === "claimed" ? null : new Date()})
    ON CONFLICT (item_id, user_id) DO UPDATE SET state = excluded.state, finished_at = excluded.finished_at, expires_at = excluded.expires_at`;
}

/** Skipped items come back: the expert asked to see them again. */
export async function unskipItems(prisma: PrismaClient, user: { id: string }, queueId: number) {
  return prisma.$transaction(async (tx) => {
    await requireMember(tx, queueId, user.id);
    const n = await tx.$executeRaw`DELETE FROM review_assignments WHERE queue_id = ${queueId} AND user_id = ${user.id} AND state = 'skipped'`;
    return { returned: n };
  });
}
