// Keeps the analytics views' default snapshots fresh without waiting for a visitor: every
// `seconds`, when the data has changed and then stayed quiet for as long (a judge run or an import
// has finished), the default figures of every dataset someone has viewed, and of every dataset an
// import or a judge run finished on in the last day, are recomputed (so the first visit after a
// large import finds them computed), and then every other figure this process showed in the last
// day (another pair's breakdown, soft rewards in batches). A judge run that has just finished does
// not wait for the quiet period: every few seconds finished runs are looked for (warmAfterRuns),
// and their datasets' default figures computed. Once an hour, figures nobody has read
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

/** How often finished judge runs are looked for (warmAfterRuns). */
const RUNS_EVERY_MS = 3_000;

let runsTimer: NodeJS.Timeout | undefined;
let isWarmingRuns = false;
/** The latest finish time of a judge run seen, as the database prints it (null: not looked yet). */
let runsSeenUntil: string | null = null;

/**
 * The datasets of judge runs completed since the last look, where no other run is still running,
 * get their default figures computed now: a run finishes in the worker, and the rounds
 * above wait until the data has been quiet for a while, so the first visit after a run over a
 * million responses met a computation from nothing (1.5 s or more) for up to a minute. The first
 * look only notes where runs stand. Exported for tests. Returns the datasets warmed.
 */
export async function warmAfterRuns(): Promise<number[]> {
  if (isWarmingRuns) return [];
  isWarmingRuns = true;
  try {
    const [{ seen } = { seen: null }] = await db().$queryRaw<{ seen: string | null }[]>`SELECT max(finished_at)::text AS seen FROM judge_runs`;
    const since = runsSeenUntil;
    runsSeenUntil = seen ?? "-infinity";
    if (since === null || seen === null || seen === since) return [];
    const finished = await db().$queryRaw<{ dataset_id: number }[]>`
      SELECT DISTINCT r.dataset_id FROM judge_runs r
      WHERE r.status = 'completed' AND r.finished_at > ${since}::timestamp AND r.finished_at <= ${seen}::timestamp
        AND NOT EXISTS (SELECT 1 FROM judge_runs o WHERE o.dataset_id = r.dataset_id AND o.status = 'running')
      ORDER BY 1`;
    for (const { dataset_id } of finished) await warmDataset(dataset_id);
    return finished.map((f) => f.dataset_id);
  } finally {
    isWarmingRuns = false;
  }
}

export function startAnalyticsRefresher(seconds: number) {
  if (timer || seconds <= 0) return;
  timer = setInterval(() => {
    refreshSnapshots(seconds * 1000).catch((error) => console.error(`[analytics] refreshing snapshots failed: ${(error as Error).message}`));
  }, seconds * 1000);
  timer.unref();
  runsTimer = setInterval(() => {
    warmAfterRuns().catch((error) => console.error(`[analytics] computing the figures of a finished run failed: ${(error as Error).message}`));
  }, RUNS_EVERY_MS);
  runsTimer.unref();
}
