// Reads of the review area: queues with their progress, one queue's progress per expert and the
// agreement between its experts, the people a queue can be assigned to.
import "server-only";
import { db } from "@/lib/db/client";
import { agreement, type TAgreement } from "@/lib/stats/agreement";
import type { TQueueSource } from "./source";

export type TQueueSummary = {
  id: number;
  name: string;
  datasetId: number;
  datasetName: string;
  overlap: number;
  blind: boolean;
  itemCount: number;
  createdAt: Date;
  /** items labeled by `overlap` experts */
  itemsComplete: number;
  /** labels given through the queue, out of itemCount * overlap */
  labelsDone: number;
  isMember: boolean;
  myDone: number;
};

/** Every queue, newest first, with progress (index review_assignments(queue_id, user_id, state)). */
export async function listQueues(userId: string): Promise<TQueueSummary[]> {
  return db().$queryRaw<TQueueSummary[]>`
    SELECT q.id, q.name, q.dataset_id AS "datasetId", d.name AS "datasetName", q.overlap, q.blind, q.item_count AS "itemCount",
      q.created_at AS "createdAt",
      (SELECT count(*)::int FROM review_items i WHERE i.queue_id = q.id
        AND (SELECT count(*) FROM review_assignments a WHERE a.item_id = i.id AND a.state = 'done') >= q.overlap) AS "itemsComplete",
      (SELECT count(*)::int FROM review_assignments a WHERE a.queue_id = q.id AND a.state = 'done') AS "labelsDone",
      EXISTS (SELECT 1 FROM review_queue_members m WHERE m.queue_id = q.id AND m.user_id = ${userId}) AS "isMember",
      (SELECT count(*)::int FROM review_assignments a WHERE a.queue_id = q.id AND a.user_id = ${userId} AND a.state = 'done') AS "myDone"
    FROM review_queues q JOIN datasets d ON d.id = q.dataset_id
    ORDER BY q.created_at DESC, q.id DESC`;
}

export type TMemberProgress = { userId: string; name: string; done: number; skipped: number; holding: number };
export type TExpertPair = TAgreement & { a: string; b: string };

export async function getQueue(queueId: number, userId: string) {
  const queue = await db().reviewQueue.findUnique({
    where: { id: queueId },
    select: {
      id: true,
      name: true,
      description: true,
      source: true,
      overlap: true,
      blind: true,
      itemCount: true,
      createdAt: true,
      createdById: true,
      dataset: { select: { id: true, name: true } },
      createdBy: { select: { name: true } },
    },
  });
  if (!queue) return null;
  const [members, [complete], pairs] = await Promise.all([
    db().$queryRaw<TMemberProgress[]>`
      SELECT m.user_id AS "userId", u.name,
        count(a.id) FILTER (WHERE a.state = 'done')::int AS done,
        count(a.id) FILTER (WHERE a.state = 'skipped')::int AS skipped,
        count(a.id) FILTER (WHERE a.state = 'claimed' AND a.expires_at > now())::int AS holding
      FROM review_queue_members m JOIN users u ON u.id = m.user_id
        LEFT JOIN review_assignments a ON a.queue_id = m.queue_id AND a.user_id = m.user_id
      WHERE m.queue_id = ${queueId}
      GROUP BY m.user_id, u.name ORDER BY u.name`,
    db().$queryRaw<{ items: number; labels: number }[]>`
      SELECT
        (SELECT count(*)::int FROM review_items i WHERE i.queue_id = ${queueId}
          AND (SELECT count(*) FROM review_assignments a WHERE a.item_id = i.id AND a.state = 'done') >= ${queue.overlap}) AS items,
        (SELECT count(*)::int FROM review_assignments a WHERE a.queue_id = ${queueId} AND a.state = 'done') AS labels`,
    expertPairs(queueId),
  ]);
  return {
    ...queue,
    source: queue.source as TQueueSource,
    members,
    itemsComplete: complete?.items ?? 0,
    labelsDone: complete?.labels ?? 0,
    isMember: members.some((m) => m.userId === userId),
    pairs,
  };
}

/**
 * Agreement between every two members on the queue's items both labeled correct/incorrect
 * ("unsure" left out, as in the judge agreement): raw agreement and Cohen's kappa per pair.
 */
async function expertPairs(queueId: number): Promise<TExpertPair[]> {
  const rows = await db().$queryRaw<{ a: string; b: string; yy: number; yn: number; ny: number; nn: number }[]>`
    SELECT ua.name AS a, ub.name AS b,
      count(*) FILTER (WHERE la.value = 'correct' AND lb.value = 'correct')::int AS yy,
      count(*) FILTER (WHERE la.value = 'correct' AND lb.value = 'incorrect')::int AS yn,
      count(*) FILTER (WHERE la.value = 'incorrect' AND lb.value = 'correct')::int AS ny,
      count(*) FILTER (WHERE la.value = 'incorrect' AND lb.value = 'incorrect')::int AS nn
    FROM review_queue_members ma
      JOIN review_queue_members mb ON mb.queue_id = ma.queue_id AND ma.user_id < mb.user_id
      JOIN users ua ON ua.id = ma.user_id JOIN users ub ON ub.id = mb.user_id
      JOIN review_items i ON i.queue_id = ma.queue_id
      JOIN expert_labels la ON la.response_id = i.response_id AND la.annotator = ma.user_id AND la.value IN ('correct', 'incorrect')
      JOIN expert_labels lb ON lb.response_id = i.response_id AND lb.annotator = mb.user_id AND lb.value IN ('correct', 'incorrect')
    WHERE ma.queue_id = ${queueId}
    GROUP BY ma.user_id, mb.user_id, ua.name, ub.name ORDER BY ua.name, ub.name`;
  return rows.map(({ a, b, ...cells }) => ({ a, b, ...agreement(cells) }));
}

/** People a queue can be assigned to: experts and above. */
export async function labelers() {
  return db().user.findMany({
    where: { role: { in: ["expert", "researcher", "admin"] }, disabledAt: null },
    orderBy: [{ role: "asc" }, { name: "asc" }],
    select: { id: true, name: true, email: true, role: true },
  });
}

/** The expert's own counts in a queue, for the review screen's progress. */
export async function myProgress(queueId: number, userId: string) {
  const [row] = await db().$queryRaw<{ done: number; skipped: number }[]>`
    SELECT count(*) FILTER (WHERE state = 'done')::int AS done, count(*) FILTER (WHERE state = 'skipped')::int AS skipped
    FROM review_assignments WHERE queue_id = ${queueId} AND user_id = ${userId}`;
  return row ?? { done: 0, skipped: 0 };
}

/** Recent bulk relabels of a dataset, newest first (index label_batches(created_at)). */
export async function recentBulkRelabels(datasetId: number) {
  return db().labelBatch.findMany({
    where: { kind: "bulk_relabel", datasetId },
    orderBy: { createdAt: "desc" },
    take: 10,
    select: { id: true, value: true, note: true, filter: true, changed: true, createdAt: true, undoneAt: true, createdById: true, createdBy: { select: { name: true } }, undoneBy: { select: { name: true } } },
  });
}
