// Keeps the analytics views' default snapshots fresh without waiting for a visitor: every
// `seconds`, when the data has changed and then stayed quiet for as long (a judge run or an import
// has finished), the default figures of every dataset someone has viewed, and of every dataset an
// import or a judge run finished on in the last day, are recomputed (so the first visit after a
// large import finds them computed), and then every other figure this process showed in the last
// day (another pair's breakdown, soft rewards in batches). A judge run that has just finished does
// not wait for the quiet period: every few seconds finished runs are looked for (warmAfterRuns),
// and their datasets' default figures computed; so are those of datasets where a run of a judge
// new to them started (warmAfterRunStarts) and of datasets a command-line import just completed
// (warmAfterCliImports). Once an hour, figures nobody has read
// or computed for UNREAD_DAYS are deleted with their parts (ones asked for again are recomputed). On the
// embedded database, which has no autovacuum, it first refreshes the planner's statistics of the
// analysed tables (without them every query is planned as if the tables were tiny). Started
// once per server process (instrumentation.ts); several app instances each refresh (harmless
// duplicate work; set STUDIO_ANALYTICS_REFRESH_SECONDS=0 on all but one to avoid it).
import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { datasetScope } from "./scope";
import { currentDataVersion, expireSnapshots, isDataChanging, refreshViewed } from "./snapshot";
import { warmAnalytics, warmDataset } from "./warm";
import { hasProfile } from "./profile-queries";
import { ANALYZE_ALL } from "@/lib/db/statistics";

/** Figures viewed this long ago or less are kept current (./snapshot.ts rememberViewed). */
const VIEWED_WITHIN_MS = 24 * 60 * 60_000;

let timer: NodeJS.Timeout | undefined;
let isBusy = false;
let refreshedVersion: string | null = null;
let lastExpiry = 0;

/** One round; exported for tests. Returns the datasets it refreshed. */
export async function refreshSnapshots(quietMs: number): Promise<number[]> {
  if (isBusy) return [];
  isBusy = true;
  try {
    // Once an hour, changing data or not: the figures nobody has read for a month go (with their parts).
    if (Date.now() - lastExpiry > 60 * 60_000) {
      lastExpiry = Date.now();
      await expireSnapshots();
    }
    const version = await currentDataVersion();
    if (version === refreshedVersion || (await isDataChanging(quietMs))) return [];
    if (env().STUDIO_EMBEDDED) await db().$executeRawUnsafe(ANALYZE_ALL);
    const viewed = await db().$queryRaw<{ dataset_id: number }[]>`
      SELECT dataset_id FROM analytics_snapshots
      UNION SELECT dataset_id FROM import_jobs WHERE dataset_id IS NOT NULL AND status = 'completed' AND finished_at > localtimestamp - interval '1 day'
      UNION SELECT dataset_id FROM judge_runs WHERE finished_at > localtimestamp - interval '1 day'
      ORDER BY 1`;
    for (const { dataset_id } of viewed) {
      const scope = await datasetScope(dataset_id);
      if (scope) await warmAnalytics(scope, { quietMs });
    }
    // Then the figures people opened with other parameters, in the last day.
    await refreshViewed(VIEWED_WITHIN_MS);
    refreshedVersion = version;
    return viewed.map((v) => v.dataset_id);
  } finally {
    isBusy = false;
  }
}

/** How often finished judge runs, started judge runs and finished CLI imports are looked for (warmAfterRuns, warmAfterRunStarts, warmAfterCliImports). */
const RUNS_EVERY_MS = 3_000;

let runsTimer: NodeJS.Timeout | undefined;
let isWarmingRuns = false;
/** Per kind of event, the latest time of it seen, as the database prints it (absent: not looked yet). */
const seenUntil = new Map<string, string>();

/**
 * The times (since, seen] of events of `kind` that happened since the last look, `latest` being
 * the newest time now (null: none yet); null when nothing is new, and on the first look, which
 * only notes where things stand.
 */
async function sinceLastLook(kind: string, latest: Promise<{ seen: string | null }[]>): Promise<{ since: string; seen: string } | null> {
  const [{ seen } = { seen: null }] = await latest;
  const since = seenUntil.get(kind);
  seenUntil.set(kind, seen ?? "-infinity");
  return since === undefined || seen === null || seen === since ? null : { since, seen };
}

/**
 * The datasets of judge runs completed since the last look, where no other run is still running,
 * get their default figures computed now: a run finishes in the worker, and the rounds
 * above wait until the data has been quiet for a while, so the first visit after a run over a
 * million responses met a computation from nothing (1.5 s or more) for up to a minute. Exported
 * for tests. Returns the datasets warmed.
 */
export async function warmAfterRuns(): Promise<number[]> {
  if (isWarmingRuns) return [];
  isWarmingRuns = true;
  try {
    const range = await sinceLastLook("runs finished", db().$queryRaw`SELECT max(finished_at)::text AS seen FROM judge_runs`);
    if (!range) return [];
    const finished = await db().$queryRaw<{ dataset_id: number }[]>`
      SELECT DISTINCT r.dataset_id FROM judge_runs r
      WHERE r.status = 'completed' AND r.finished_at > ${range.since}::timestamp AND r.finished_at <= ${range.seen}::timestamp
        AND NOT EXISTS (SELECT 1 FROM judge_runs o WHERE o.dataset_id = r.dataset_id AND o.status = 'running')
      ORDER BY 1`;
    const warmed: number[] = [];
    for (const { dataset_id } of finished) if ((await warmDataset(dataset_id)) === "warmed") warmed.push(dataset_id);
    return warmed;
  } finally {
    isWarmingRuns = false;
  }
}

/**
 * A judge run that starts on a dataset adds its judge to the dataset's figures: the figures that
 * compare every judge (the dataset profile behind the agreement matrix and the reward overview)
 * then have a new key with nothing stored, and the first visit would wait for a pass over the whole
 * dataset (./budget.ts can only serve figures stored before). Those of datasets where a run started
 * since the last look are computed now, while the run's first items are being judged. Exported
 * for tests. Returns the datasets warmed.
 */
export async function warmAfterRunStarts(): Promise<number[]> {
  const range = await sinceLastLook("runs started", db().$queryRaw`SELECT max(created_at)::text AS seen FROM judge_runs`);
  if (!range) return [];
  const started = await db().$queryRaw<{ dataset_id: number }[]>`
    SELECT DISTINCT dataset_id FROM judge_runs WHERE created_at > ${range.since}::timestamp AND created_at <= ${range.seen}::timestamp ORDER BY 1`;
  const warmed: number[] = [];
  for (const { dataset_id } of started) {
    const scope = await datasetScope(dataset_id);
    if (!scope || (await hasProfile(dataset_id, scope.judges))) continue;
    if ((await warmAnalytics(scope, { quietMs: 0 })) === "warmed") warmed.push(dataset_id);
  }
  return warmed;
}

/**
 * Imports from the command line run in their own process, which does not compute the dataset's
 * figures as the server's imports do before they report done (lib/io/import-job.ts): the server
 * computes those of CLI imports that completed since the last look. Exported for tests. Returns
 * the datasets warmed.
 */
export async function warmAfterCliImports(): Promise<number[]> {
  const range = await sinceLastLook("cli imports", db().$queryRaw`SELECT max(finished_at)::text AS seen FROM import_jobs WHERE source = 'cli'`);
  if (!range) return [];
  const imported = await db().$queryRaw<{ dataset_id: number }[]>`
    SELECT DISTINCT dataset_id FROM import_jobs
    WHERE source = 'cli' AND status = 'completed' AND dataset_id IS NOT NULL AND finished_at > ${range.since}::timestamp AND finished_at <= ${range.seen}::timestamp
    ORDER BY 1`;
  const warmed: number[] = [];
  for (const { dataset_id } of imported) if ((await warmDataset(dataset_id)) === "warmed") warmed.push(dataset_id);
  return warmed;
}

export function startAnalyticsRefresher(seconds: number) {
  if (timer || seconds <= 0) return;
  timer = setInterval(() => {
    refreshSnapshots(seconds * 1000).catch((error) => console.error(`[analytics] refreshing snapshots failed: ${(error as Error).message}`));
  }, seconds * 1000);
  timer.unref();
  runsTimer = setInterval(() => {
    warmAfterRuns().catch((error) => console.error(`[analytics] computing the figures of a finished run failed: ${(error as Error).message}`));
    warmAfterRunStarts().catch((error) => console.error(`[analytics] computing the figures of a new judge failed: ${(error as Error).message}`));
    warmAfterCliImports().catch((error) => console.error(`[analytics] computing the figures of an imported dataset failed: ${(error as Error).message}`));
  }, RUNS_EVERY_MS);
  runsTimer.unref();
}
