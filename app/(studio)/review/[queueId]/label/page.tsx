import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { claimItems } from "@/lib/review/handout";
import { reviewItems } from "@/lib/review/items";
import { myProgress } from "@/lib/review/queries";
import { ReviewScreen } from "../../_components/review-screen";
import { rowIdOf } from "@/lib/db/values";

export const metadata: Metadata = { title: "Review" };

export default async function ReviewLabelPage({ params }: { params: Promise<{ queueId: string }> }) {
  const user = await requirePageRole("expert");
  const { queueId: raw } = await params;
  const queueId = rowIdOf(raw);
  if (queueId === null) notFound();
  const queue = await db().reviewQueue.findUnique({ where: { id: queueId }, select: { id: true, name: true, description: true, blind: true, itemCount: true } });
  if (!queue) notFound();
  const member = await db().reviewQueueMember.findUnique({ where: { queueId_userId: { queueId, userId: user.id } }, select: { userId: true } });
  if (!member) forbidden();
  // The first items come with the page, so the first one shows without a round trip.
  const { responseIds, blind } = await claimItems(db(), user, queueId, { count: 5 });
  const [items, progress] = await Promise.all([reviewItems(db(), user, responseIds, blind), myProgress(queueId, user.id)]);
  return <ReviewScreen queueId={queue.id} queueName={queue.name} instructions={queue.description} blind={queue.blind} itemCount={queue.itemCount} initialItems={items} done={progress.done} skipped={progress.skipped} />;
}
