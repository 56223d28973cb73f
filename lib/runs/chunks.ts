// The life of a chunk in the database. A chunk is dispatched (a queue job id is bound to it),
// claimed by the worker that fetched that job, and then either finished (every item has its
// judgment for the run) or released back to the dispatcher (pause, shutdown, time budget).
// Every step names the job, so a stale job (its chunk was re-dispatched after its worker died)
// changes nothing.
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import type { TItem } from "@/lib/judges/runnable";

/** An item with the sample of the judge it is to get (0 unless the run takes several). */
export type TSampledItem = TItem & { sample: number };

type Db = PrismaClient | Prisma.TransactionClient;

export type TChunkRef = { runId: number; idx: number; jobId: string };

/** Binds the chunk to this worker, if the job is still the chunk's; its response ids, else null. */
export async function claimChunk(prisma: Db, chunk: TChunkRef, workerId: string): Promise<number[] | null> {
  const rows = await prisma.$queryRaw<{ ids: number[] }[]>`
    UPDATE judge_run_chunks SET worker_id = ${workerId}, claimed_at = now(), attempts = attempts + 1
    WHERE run_id = ${chunk.runId} AND idx = ${chunk.idx} AND job_id = ${chunk.jobId}::uuid AND finished_at IS NULL
    RETURNING response_ids AS ids`;
  return rows[0]?.ids ?? null;
}

/**
 * The chunk's items that still need a judgment from this run, one per sample (0..samples-1):
 * none of this run, and (unless the run is forced) none with a verdict from an earlier run.
 * (Unique index of judgments on (response_id, judge_id, template_version, sample).)
 */
export async function pendingItems(prisma: Db, run: { id: number; judgeId: number; templateVersion: string; force: boolean; samples: number }, ids: number[]): Promise<TSampledItem[]> {
  return prisma.$queryRaw<TSampledItem[]>`
    SELECT r.id AS "responseId", s.sample, q.text AS question, q.reference, r.text AS response
    FROM responses r JOIN questions q ON q.id = r.question_id CROSS JOIN generate_series(0, ${run.samples - 1}) AS s(sample)
    WHERE r.id = ANY(${ids}::int[])
      AND NOT EXISTS (SELECT 1 FROM judgments j WHERE j.response_id = r.id AND j.judge_id = ${run.judgeId}
        AND j.template_version = ${run.templateVersion} AND j.sample = s.sample
        AND (j.run_id = ${run.id} OR (NOT ${run.force} AND j.verdict IS NOT NULL)))
    ORDER BY r.id, s.sample`;
}

/**
 * Gives the chunk back to the dispatcher (it will be sent again while its run is running). With
 * an error, the chunk's failures count one more.
 */
export async function releaseChunk(prisma: Db, chunk: TChunkRef, error: string | null = null) {
  await prisma.$executeRaw`
    UPDATE judge_run_chunks SET job_id = NULL, worker_id = NULL, last_error = coalesce(${error}, last_error),
      failures = failures + ${error === null ? 0 : 1}
    WHERE run_id = ${chunk.runId} AND idx = ${chunk.idx} AND job_id = ${chunk.jobId}::uuid`;
}

export async function noteChunkError(prisma: Db, chunk: TChunkRef, error: string) {
  await prisma.$executeRaw`UPDATE judge_run_chunks SET last_error = ${error} WHERE run_id = ${chunk.runId} AND idx = ${chunk.idx}`;
}

/**
 * Marks the chunk finished, then completes the run if no chunk is left. Two statements, no
 * transaction: of two chunks finishing at once, the one whose second statement runs last sees
 * both finished (each runs after its own first statement committed), so the run is completed
 * exactly when its last chunk is; the dispatcher's sweep (completeRunIfDone) backs this up.
 */
export async function finishChunk(prisma: PrismaClient, chunk: TChunkRef): Promise<{ runCompleted: boolean }> {
  await prisma.$executeRaw`
    UPDATE judge_run_chunks SET finished_at = now(), worker_id = NULL
    WHERE run_id = ${chunk.runId} AND idx = ${chunk.idx} AND job_id = ${chunk.jobId}::uuid AND finished_at IS NULL`;
  const completed = await completeRunIfDone(prisma, chunk.runId);
  return { runCompleted: completed > 0 };
}

/** A running run whose chunks are all finished is completed. */
export async function completeRunIfDone(prisma: Db, runId?: number): Promise<number> {
  const only = runId === undefined ? Prisma.empty : Prisma.sql`AND r.id = ${runId}`;
  return prisma.$executeRaw`
    UPDATE judge_runs r SET status = 'completed', finished_at = now(), updated_at = now()
    WHERE r.status = 'running' ${only}
      AND NOT EXISTS (SELECT 1 FROM judge_run_chunks c WHERE c.run_id = r.id AND c.finished_at IS NULL)`;
}

/**
 * Stops a run with the reason (a judge that cannot be called, a chunk the queue gave up on), and
 * records it with the pauses and resumes (the run page leaves stopped time out of its elapsed time).
 */
export async function failRun(prisma: Db, runId: number, error: string) {
  const reason = error.slice(0, 2000);
  await prisma.$executeRaw`
    WITH failed AS (
      UPDATE judge_runs SET status = 'failed', error = ${reason}, finished_at = now(), updated_at = now()
      WHERE id = ${runId} AND status IN ('queued', 'running') RETURNING id
    )
    INSERT INTO audit_events (actor_id, action, entity, entity_id, data)
    SELECT NULL, 'run.fail', 'judge_run', id::text, jsonb_build_object('error', ${reason}::text) FROM failed`;
}
