// Safety nets that keep every chunk moving, whatever happened to the worker or the job that
// held it. A chunk waits for dispatch (no job), is bound to a queue job, or is claimed by a
// worker; each sweep returns chunks stuck in the last two states to the first:
//  - claimed by a worker that stopped beating (killed, crashed, unplugged);
//  - claimed by this worker but no longer worked on here (a hand-back that failed);
//  - bound to a job the queue no longer holds as waiting or active (its handler completed or
//    failed it without claiming, e.g. during a shutdown).
import type { PrismaClient } from "@/lib/db/generated/client";

export async function reclaimFromDeadWorkers(prisma: PrismaClient, leaseMs: number): Promise<number> {
  // index judge_run_chunks(worker_id)
  return prisma.$executeRaw`
    UPDATE judge_run_chunks c SET job_id = NULL, worker_id = NULL
    WHERE c.worker_id IS NOT NULL AND c.finished_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM judge_workers w WHERE w.id = c.worker_id AND w.heartbeat_at > now() - ${leaseMs} * interval '1 millisecond')`;
}

/** `active`: "runId:idx:jobId" of the chunks this worker is working on. */
export async function releaseOrphans(prisma: PrismaClient, workerId: string, active: Set<string>): Promise<number> {
  const claimed = await prisma.$queryRaw<{ run_id: number; idx: number; job_id: string }[]>`
    SELECT run_id, idx, job_id::text FROM judge_run_chunks
    WHERE worker_id = ${workerId} AND finished_at IS NULL AND claimed_at < now() - interval '10 seconds'`;
  const orphans = claimed.filter((c) => !active.has(`${c.run_id}:${c.idx}:${c.job_id}`));
  for (const c of orphans) {
    await prisma.$executeRaw`
      UPDATE judge_run_chunks SET job_id = NULL, worker_id = NULL
      WHERE run_id = ${c.run_id} AND idx = ${c.idx} AND job_id = ${c.job_id}::uuid AND worker_id = ${workerId}`;
  }
  return orphans.length;
}

/** Chunks of running runs bound to a job that pg-boss no longer has waiting, retrying or active. */
export async function resetLostDispatches(prisma: PrismaClient): Promise<number> {
  return prisma.$executeRaw`
    UPDATE judge_run_chunks c SET job_id = NULL
    FROM judge_runs r
    WHERE r.id = c.run_id AND r.status = 'running' AND c.finished_at IS NULL AND c.worker_id IS NULL AND c.job_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.id = c.job_id AND j.state IN ('created', 'retry', 'active'))`;
}
