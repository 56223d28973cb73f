// Pause, resume and cancel. A run's status is the switch workers watch: they stop taking a
// paused or cancelled run's items within a second, leave what they had not judged for later,
// and pick a resumed run up where it stopped, with the items it recorded as failed.
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { lockLiveDataset } from "@/lib/datasets/delete";
import { assertNotArchived } from "@/lib/judges/archive";

export type TRunAction = "pause" | "resume" | "cancel";

const ALLOWED: Record<TRunAction, string[]> = {
  pause: ["queued", "running"],
  resume: ["paused", "failed"],
  cancel: ["queued", "running", "paused", "failed"],
};

export async function controlRun(prisma: PrismaClient, runId: number, action: TRunAction, userId: string | null) {
  return prisma.$transaction(async (tx) => {
    // FOR UPDATE: a worker completing the run at this moment waits, or has finished first.
    const [run] = await tx.$queryRaw<{ status: string; started_at: Date | null; dataset_id: number }[]>`
      SELECT status::text, started_at, dataset_id FROM judge_runs WHERE id = ${runId} FOR UPDATE`;
    if (!run) throw new AppError("NOT_FOUND", `run ${runId} does not exist`);
    if (!ALLOWED[action].includes(run.status)) throw new AppError("CONFLICT", `the run is ${run.status}; it cannot be ${action === "pause" ? "paused" : action === "resume" ? "resumed" : "cancelled"}`);
    const status = action === "pause" ? "paused" : action === "cancel" ? "cancelled" : run.started_at ? "running" : "queued";
    const updated = await tx.judgeRun.update({
      where: { id: runId },
      data: { status, ...(action === "cancel" ? { finishedAt: new Date() } : {}), ...(action === "resume" ? { error: null, finishedAt: null } : {}) },
      select: { id: true, status: true },
    });
    if (action === "resume") {
      // Not on a dataset being deleted (lib/datasets/delete.ts), nor with an archived judge.
      await lockLiveDataset(tx, run.dataset_id);
      const [judge] = await tx.$queryRaw<{ name: string; archivedAt: Date | null }[]>`
        SELECT j.name, j.archived_at AS "archivedAt" FROM judges j JOIN judge_runs r ON r.judge_id = j.id WHERE r.id = ${runId} FOR SHARE OF j`;
      if (judge) assertNotArchived(judge);
      // Workers judge the rest with the judge's settings as they are now (a fixed URL or key:
      // they reload the judge on this run's notification), so the run records those: its page
      // shows what the run does, not what it was created with. Its template version and chunk
      // size stay the run's own.
      await tx.$executeRaw`
        UPDATE judge_runs r SET settings = j.settings || jsonb_build_object('templateVersion', r.settings->'templateVersion', 'chunkSize', r.settings->'chunkSize')
        FROM judges j WHERE r.id = ${runId} AND j.id = r.judge_id`;
      // The items the run recorded as failed are judged again (a run stopped by a refused key,
      // resumed once the key is fixed): their failed judgments go, with their count, and the
      // chunks holding them are open again.
      // (A failed judgment always has its error kind: judgments(run_id, error_kind) finds them
      // without reading the run's other judgments. The chunks holding them are found by one hash
      // join over the finished chunks' ids, not by comparing arrays chunk by chunk, which took
      // 35 s for 20,000 failures in 5,000 chunks.)
      await tx.$executeRaw`
        WITH gone AS (DELETE FROM judgments WHERE run_id = ${runId} AND error_kind IS NOT NULL AND verdict IS NULL RETURNING response_id),
        holding AS (
          SELECT DISTINCT c.idx FROM judge_run_chunks c CROSS JOIN LATERAL unnest(c.response_ids) AS u(response_id)
          WHERE c.run_id = ${runId} AND c.finished_at IS NOT NULL AND u.response_id IN (SELECT response_id FROM gone)
        ),
        reopened AS (UPDATE judge_run_chunks SET finished_at = NULL WHERE run_id = ${runId} AND idx IN (SELECT idx FROM holding))
        UPDATE judge_runs SET failed = failed - (SELECT count(*) FROM gone) WHERE id = ${runId}`;
      // A failed run gave up on chunks the queue could not finish: they go back to the dispatcher,
      // with a clean record of failures. A chunk a worker still holds is left to it: resumed
      // before it noticed the stop, it goes on; having noticed, it hands the chunk back to the
      // dispatcher itself (a dead worker's chunks are handed back by the sweep). Dispatching it
      // again now would have two workers send its items.
      await tx.judgeRunChunk.updateMany({ where: { runId, finishedAt: null, workerId: null }, data: { jobId: null } });
      if (run.status === "failed") await tx.judgeRunChunk.updateMany({ where: { runId, finishedAt: null }, data: { failures: 0 } });
    }
    // Wakes workers at commit (lib/runs/worker.ts listens): they stop or pick the run up at once.
    await tx.$executeRaw`SELECT pg_notify('studio_runs', ${String(runId)})`;
    await recordAudit(tx, { actorId: userId, action: `run.${action}`, entity: "judge_run", entityId: runId, data: { from: run.status, to: status } });
    return updated;
  }, { maxWait: 15_000, timeout: 30_000 });
}
