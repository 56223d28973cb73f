// Running import and export jobs in this process (the studio's server), and finding the jobs of
// processes that died. Jobs are started without waiting for them; their progress is in the
// database. There is no queue to lose: a job whose process stops is `interrupted` at the next
// start-up, and, because an import is one transaction, it wrote nothing (run it again).
import { hostname } from "node:os";
import type { PrismaClient } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { forLog } from "@/lib/errors";
import { runImportJob } from "./import-job";
import { runExport } from "./export/run";
import { sweepUploads } from "./uploads";

const retentionMs = () => env().STUDIO_UPLOAD_RETENTION_HOURS * 3600_000;

/** Starts an import job; resolves at once. When it ends, its upload's file goes if no longer needed. */
export function startImportJob(prisma: PrismaClient, jobId: number, hooks: Parameters<typeof runImportJob>[2] = {}) {
  void runImportJob(prisma, jobId, hooks)
    .then(async () => {
      const job = await prisma.importJob.findUnique({ where: { id: jobId }, select: { uploadId: true } });
      if (job?.uploadId) await sweepUploads(prisma, retentionMs(), { uploadId: job.uploadId });
    })
    .catch((error) => console.error(`[import ${jobId}] runner crashed`, forLog(error)));
}

let sweeper: NodeJS.Timeout | undefined;

/** Sweeps the uploads no import needs (uploads.ts sweepUploads) soon after start-up, then hourly. */
export function startUploadSweeper(client: () => PrismaClient) {
  if (sweeper) return;
  const sweep = () =>
    void sweepUploads(client(), retentionMs())
      .then((removed) => removed.length > 0 && console.log(`[uploads] removed ${removed.length} uploaded file(s) no import needs`))
      .catch((error) => console.error(`[uploads] sweeping uploads failed: ${(error as Error).message}`));
  setTimeout(sweep, 10_000).unref();
  sweeper = setInterval(sweep, 3600_000);
  sweeper.unref();
}

export function startExportJob(prisma: PrismaClient, databaseUrl: string, exportId: number) {
  void runExport(prisma, databaseUrl, exportId).catch((error) => console.error(`[export ${exportId}] runner crashed`, forLog(error)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Jobs silent for this long are taken as dead (a running job says it is alive every 0.5-5 s). */
export const STALE_MS = 60_000;

/**
 * Marks as interrupted the jobs whose process is gone: on this host, a runner pid that no longer
 * exists; anywhere, no sign of life for STALE_MS. Called at start-up.
 */
export async function sweepInterruptedJobs(prisma: PrismaClient): Promise<number> {
  const stale = new Date(Date.now() - STALE_MS);
  const host = hostname();
  let count = 0;
  for (const table of ["importJob", "export"] as const) {
    const rows =
      table === "importJob"
        ? await prisma.importJob.findMany({ where: { status: { in: ["queued", "running"] } }, select: { id: true, runner: true, heartbeatAt: true, createdAt: true, datasetId: true } })
        : await prisma.export.findMany({ where: { status: { in: ["queued", "running"] } }, select: { id: true, runner: true, heartbeatAt: true, createdAt: true } });
    for (const row of rows) {
      const [runnerHost, pid] = row.runner.split(":");
      const deadHere = runnerHost === host && pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
      const silent = (row.heartbeatAt ?? row.createdAt) < stale;
      if (!deadHere && !silent) continue;
      // An import whose rows were committed (its dataset recorded) stopped in the upkeep after
      // them: its rows are in, and it completed.
      const committed = table === "importJob" && (row as { datasetId?: number | null }).datasetId != null;
      const message = committed
        ? "Completed; the process stopped afterwards, while updating the tables' statistics or the dataset's analytics (a restart or a crash): the rows are in, and the figures are computed again on the next visit."
        : table === "importJob"
          ? "Interrupted: the process running this import stopped (a restart or a crash). Nothing of it was written; run it again."
          : "Interrupted: the process running this export stopped (a restart or a crash). Start it again.";
      const data = { status: committed ? ("completed" as const) : ("interrupted" as const), message, finishedAt: new Date() };
      if (table === "importJob") await prisma.importJob.update({ where: { id: row.id }, data: { ...data, phase: "" } });
      else await prisma.export.update({ where: { id: row.id }, data });
      count++;
    }
  }
  return count;
}
