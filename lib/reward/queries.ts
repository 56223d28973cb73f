// Reading what the reward endpoint recorded: a training run's requests by step, for its
// dataset's page.
import "server-only";
import { db } from "@/lib/db/client";

export type TRewardRequestRow = {
  id: number;
  /** the request's number in the run, by arrival (1 = the first) */
  number: number;
  /** the trainer's step, when it gave one */
  step: number | null;
  size: number;
  meanReward: number | null;
  latencyMs: number;
  judge: string;
  templateVersion: string;
  createdAt: Date;
};

/** The newest `limit` requests of a run (null when the dataset was not recorded by the endpoint). */
export async function rewardRequestsOf(datasetId: number, limit = 50) {
  const [totals] = await db().$queryRaw<{ requests: number; items: number }[]>`
    SELECT count(*)::int AS requests, coalesce(sum(size), 0)::int AS items FROM reward_requests WHERE dataset_id = ${datasetId}`;
  if (!totals || totals.requests === 0) return null;
  const rows = await db().rewardRequest.findMany({
    where: { datasetId },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, step: true, size: true, meanReward: true, latencyMs: true, templateVersion: true, createdAt: true, judge: { select: { name: true } } },
  });
  return { ...totals, rows: rows.map(({ judge, ...r }, i): TRewardRequestRow => ({ ...r, number: totals.requests - i, judge: judge.name })) };
}
