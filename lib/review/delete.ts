// Deleting a review queue: whoever made it, or an admin. The queue, its items, members and who
// holds or did what go; the labels experts gave through it stay, as every expert label does (they
// belong to the responses, with their history).
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { hasRole, type TRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

/** Whoever made a queue, and admins, may delete it. */
export const mayDeleteQueue = (createdById: string | null, actor: { id: string; role: TRole }) => createdById === actor.id || hasRole(actor.role, "admin");

export async function deleteQueue(prisma: PrismaClient, queueId: number, actor: { id: string; role: TRole }) {
  return prisma.$transaction(
    async (tx) => {
      // Experts taking items from it wait, then find it gone.
      const [queue] = await tx.$queryRaw<{ name: string; created_by_id: string | null; item_count: number; dataset_id: number }[]>`
        SELECT name, created_by_id, item_count, dataset_id FROM review_queues WHERE id = ${queueId} FOR UPDATE`;
      if (!queue) throw new AppError("NOT_FOUND", `no review queue ${queueId}`);
      if (!mayDeleteQueue(queue.created_by_id, actor)) throw new AppError("FORBIDDEN", "Only whoever made a queue, or an admin, may delete it.");
      const [{ labels } = { labels: 0 }] = await tx.$queryRaw<{ labels: number }[]>`
        SELECT count(*)::int AS labels FROM review_assignments WHERE queue_id = ${queueId} AND state = 'done'`;
      // Children first, set-based: the cascade would remove them row by row.
      await tx.$executeRaw`DELETE FROM review_assignments WHERE queue_id = ${queueId}`;
      await tx.$executeRaw`DELETE FROM review_items WHERE queue_id = ${queueId}`;
      await tx.$executeRaw`DELETE FROM review_queues WHERE id = ${queueId}`;
      await recordAudit(tx, {
        actorId: actor.id,
        action: "review_queue.delete",
        entity: "review_queue",
        entityId: queueId,
        data: { name: queue.name, datasetId: queue.dataset_id, items: queue.item_count, labels },
      });
      return { id: queueId, name: queue.name };
    },
    { timeout: 60_000 },
  );
}
