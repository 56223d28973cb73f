// Reads for the runs pages and API.
import "server-only";
import { db } from "@/lib/db/client";
import { runProgress } from "./progress";
import { samplesProblem } from "./create-run";

export type TRunRow = {
  id: number;
  status: string;
  judge: { id: number; name: string; sizeLabel: string };
  dataset: { id: number; name: string };
  source: string;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  /** judgments per item; the counts are of judgments */
  samples: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdBy: string | null;
};

/** Runs, newest first, keyset-paginated by id (index judge_runs(judge_id|dataset_id, created_at) when filtered). */
export async function listRuns(options: { datasetId?: number; judgeId?: number; before?: number; limit?: number } = {}) {
  const limit = options.limit ?? 50;
  const rows = await db().judgeRun.findMany({
    where: {
      ...(options.datasetId ? { datasetId: options.datasetId } : {}),
      ...(options.judgeId ? { judgeId: options.judgeId } : {}),
      ...(options.before ? { id: { lt: options.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: {
      id: true,
      status: true,
      source: true,
      total: true,
      done: true,
      failed: true,
      skipped: true,
      samples: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      judge: { select: { id: true, name: true, sizeLabel: true } },
      dataset: { select: { id: true, name: true } },
      createdBy: { select: { name: true } },
    },
  });
  const page = rows.slice(0, limit).map(({ createdBy, ...r }) => ({ ...r, createdBy: createdBy?.name ?? null }));
  return { runs: page as TRunRow[], nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

export async function getRunProgress(runId: number) {
  return runProgress(db(), runId);
}

/** Workers that beat in the last 20 s. */
export async function liveWorkers() {
  return db().judgeWorker.findMany({
    where: { heartbeatAt: { gt: new Date(Date.now() - 20_000) } },
    orderBy: { startedAt: "asc" },
    select: { id: true, hostname: true, pid: true, startedAt: true, heartbeatAt: true },
  });
}

/** What the new-run form offers: datasets and the judges that can run, each with why it cannot take several samples per item. */
export async function runChoices() {
  const [datasets, judges] = await Promise.all([
    // index responses(dataset_id, id), read alone
    db().$queryRaw<{ id: number; name: string; responses: number }[]>`
      SELECT id, name, responses FROM (
        SELECT d.id, d.name, d.created_at, (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id) AS responses
        FROM datasets d WHERE d.deleting_at IS NULL
      ) d ORDER BY responses = 0, created_at DESC, id DESC`,
    db().judge.findMany({ where: { kind: { in: ["openai_compatible", "rule_based"] }, archivedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true, sizeLabel: true, kind: true, templateVersion: true, settings: true } }),
  ]);
  return { datasets, judges: judges.map(({ settings, ...j }) => ({ ...j, samplesProblem: samplesProblem({ ...j, settings }, 2) })) };
}
