// Analytics results kept until the data changes. An aggregation over a million responses takes
// seconds; its result is small. So each query's result is stored with the data version it was
// computed at, and served again while the version is the same.
//
// The data version is (count, max id) of analytics_changes, a table statement triggers append to
// once per writing transaction (see the analytics migration). The version and the aggregation are
// read in one REPEATABLE READ transaction, i.e. from one snapshot: a stored result is exactly the
// result for its version, never a mix. Any commit to judgments, responses, questions or
// expert_labels changes the version (rows only ever join the visible set, and compaction below
// always adds a row with a larger id), so nothing stale is served; a figure that reads no expert
// labels counts only the rows of transactions that changed answers (CHANGES). The version is
// global: a write to one dataset recomputes the others' results too, which costs time, never
// correctness (the parts per chunk of ./partials.ts narrow that for the heaviest figures).
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { adoptSnapshot, EXPORT_SNAPSHOT } from "@/lib/db/shared-snapshot";
import { env } from "@/lib/env";
import { isStoredOnly, NotStored, servedStale } from "./budget";

export type TSnapshot<T> = {
  value: T;
  version: string;
  computedAt: Date;
  /** how long the aggregation took when it ran */
  computedMs: number;
  /** served from the store rather than computed by this call */
  isCached: boolean;
};

type Tx = Prisma.TransactionClient;

/** Rows of analytics_changes above which a reader folds them into one. */
const COMPACT_ABOVE = 10_000;

/**
 * What a figure reads, as the bits of analytics_changes.kinds: the answers (judgments, questions,
 * responses) and the expert labels (expert_labels and responses' gold labels). A figure that
 * reads no labels keeps its snapshot while experts label items.
 */
export const CHANGES = { answers: 1, labels: 2, all: 3 } as const;
export type TChanges = (typeof CHANGES)[keyof typeof CHANGES];

async function dataVersion(tx: Tx | ReturnType<typeof db>, kinds: TChanges = CHANGES.all): Promise<{ version: string; rows: number; maxId: bigint }> {
  // `rows` and `maxId` (for compaction) count every row; the version only the rows of `kinds`.
  const [row] = await tx.$queryRaw<{ rows: number; max_id: bigint; n: number; max: bigint }[]>`
    SELECT count(*)::int AS rows, coalesce(max(id), 0)::bigint AS max_id,
      (count(*) FILTER (WHERE kinds & ${kinds}::int <> 0))::int AS n, coalesce(max(id) FILTER (WHERE kinds & ${kinds}::int <> 0), 0)::bigint AS max
    FROM analytics_changes`;
  return { version: `${row!.n}:${row!.max}`, rows: row!.rows, maxId: row!.max_id };
}

/**
 * Settings for one aggregation transaction: hash tables of a million rows fit in memory instead of
 * spilling to disk (the server default, 4 MB, is sized for many small queries); index probes
 * priced as on cached data, not spinning disks (the default random_page_cost of 4 made the
 * planner scan all judgments rather than probe 20,000 labelled items: 260 ms against 130 ms);
 * no JIT, whose compile time exceeds what it saves on these plans; and no parallel workers: a
 * view already runs its queries side by side, and with workers the planner swapped the merge
 * joins of index-only scans for parallel hash joins that build a million-row table in every
 * process (the binary normalisation at a million responses: 4.9 s with workers, 3.5 s without,
 * same machine and load).
 */
export const AGGREGATION_SETTINGS =
  "SELECT set_config('work_mem', '64MB', true), set_config('random_page_cost', '1.1', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)";

export async function tuneForAggregation(tx: Tx) {
  await tx.$queryRawUnsafe(AGGREGATION_SETTINGS);
}

// ---------------------------------------------------------------------------------------------
// One computation on several connections.
//
// A cold computation over a million responses is one query on one core of the database; the
// machine has more. The snapshot transaction exports its snapshot (pg_export_snapshot) and helper
// transactions on other connections import it (SET TRANSACTION SNAPSHOT), so every part reads
// exactly the data the snapshot's version names, as if the transaction had read it alone.

/** Helper transactions open in this process: at most twice what one computation may use (each holds a pooled connection). */
let helpersInUse = 0;
/** Tasks run on helpers and tasks a helper could not take, since the process started (for tests and diagnostics). */
export const helperCounts = { ran: 0, fellBack: 0 };

/** How long a helper transaction may take to start before its task is left to the snapshot transaction. */
const HELPER_START_MS = 1_000;

/** Connections one computation may use; the embedded database is one backend, so 1 there. */
export function analyticsParallelism(): number {
  const { STUDIO_ANALYTICS_PARALLEL, STUDIO_EMBEDDED } = env();
  return STUDIO_ANALYTICS_PARALLEL ?? (STUDIO_EMBEDDED ? 1 : 2);
}

/**
 * Runs `tasks` against the data of `tx` (a snapshot transaction): the first on `tx`, the others
 * on helper transactions in the same snapshot where a helper is free, else after it on `tx`.
 * The tasks must only read. A helper that cannot start within a second (no free connection, a
 * database that cannot share snapshots or serves one transaction at a time) leaves its task to
 * `tx`, so the result never depends on it.
 */
export async function sideBySide<T>(tx: Tx, tasks: readonly ((tx: Tx) => Promise<T>)[]): Promise<T[]> {
  const cap = analyticsParallelism() - 1;
  const helped = tasks.slice(1).map(() => (helpersInUse < cap * 2 && cap > 0 ? (helpersInUse++, true) : false));
  if (!helped.some(Boolean)) {
    const results: T[] = [];
    for (const task of tasks) results.push(await task(tx));
    return results;
  }
  try {
    const [{ id } = { id: "" }] = await tx.$queryRawUnsafe<{ id: string }[]>(EXPORT_SNAPSHOT);
    const adopt = adoptSnapshot(id);
    const onHelper = (task: (tx: Tx) => Promise<T>) => {
      // A helper must have the snapshot soon: on a database that serves one transaction at a
      // time (the embedded one) it would only start once this transaction ended, i.e. never.
      let started = false;
      let abandoned = false;
      const run = db().$transaction(
        async (helper) => {
          if (abandoned) throw new Error("helper started too late");
          await helper.$executeRawUnsafe(adopt);
          started = true;
          await tuneForAggregation(helper);
          return task(helper);
        },
        { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 300_000, maxWait: HELPER_START_MS },
      );
      const late = new Promise<never>((_, reject) =>
        setTimeout(() => {
          if (!started) {
            abandoned = true;
            reject(new Error("no helper"));
          }
        }, HELPER_START_MS).unref(),
      );
      return Promise.race([run, late]);
    };
    const attempts = tasks.map((task, i) => (i > 0 && helped[i - 1] ? onHelper(task).then((value) => ({ value }), () => null) : null));
    let first: T;
    try {
      first = await tasks[0]!(tx);
    } catch (error) {
      // The helpers hold connections: they end before the failure goes on (their results unused).
      await Promise.all(attempts);
      throw error;
    }
    const results: T[] = [first];
    for (const [i, attempt] of attempts.entries()) {
      if (i === 0) continue;
      const done = attempt ? await attempt : null;
      if (done) helperCounts.ran++;
      else if (attempt) helperCounts.fellBack++;
      results.push(done ? done.value : await tasks[i]!(tx));
    }
    return results;
  } finally {
    helpersInUse -= helped.filter(Boolean).length;
  }
}

// ---------------------------------------------------------------------------------------------
// Figures viewed in this process.
//
// The refresher recomputes every view's default figures; a figure someone opened with other
// parameters (soft rewards in batches of 256, the breakdown of another pair) is kept here with how
// to compute it again, so that the refresher brings it up to date too and its next visitor does
// not meet a computation from nothing after a large change.

const viewed = new Map<string, { datasetId: number; again: () => Promise<unknown>; at: number }>();

/** Notes that figure `key` of the dataset was shown; `again` computes it as it was asked for. */
export function rememberViewed(datasetId: number, key: string, again: () => Promise<unknown>) {
  viewed.set(`${datasetId}\u0000${key}`, { datasetId, again, at: Date.now() });
}

/** Brings the figures viewed in the last `withinMs` up to date (each a lookup when current); forgets older ones. */
export async function refreshViewed(withinMs: number): Promise<number> {
  let refreshed = 0;
  for (const [id, entry] of viewed) {
    if (Date.now() - entry.at > withinMs) {
      viewed.delete(id);
      continue;
    }
    try {
      // A dataset deleted, or being deleted (lib/datasets/delete.ts), has no figures to keep up.
      const [live] = await db().$queryRaw<unknown[]>`SELECT 1 FROM datasets WHERE id = ${entry.datasetId} AND deleting_at IS NULL`;
      if (!live) {
        viewed.delete(id);
        continue;
      }
      await entry.again();
      refreshed++;
    } catch (error) {
      // Kept: the database may be back next round.
      console.error(`[analytics] refreshing a viewed figure of dataset ${entry.datasetId} failed: ${(error as Error).message}`);
    }
  }
  return refreshed;
}

/**
 * Computations under way in this process, by dataset and key, with the data version each read:
 * a view's parts that share one result (the agreement matrix and the reward overview share the
 * dataset profile) ask for it side by side, and the later ones wait for the first rather than
 * repeat a pass over the dataset.
 */
const running = new Map<string, { version: Promise<string>; result: Promise<TSnapshot<unknown>> }>();

/**
 * The result of `compute` for `key` over dataset `datasetId`: stored when its data version is
 * current, else computed (and stored). `fresh` computes whatever is stored (benchmarks);
 * `allowStale` takes a stored result of any version (for what changes rarely and only guides,
 * like the subjects of a filter picker: the refresher and warm-ups bring it up to date).
 * `reads` says what the figure reads (CHANGES; default everything): a change of anything else
 * keeps its snapshot. `key` must name the query and every parameter it depends on (judge ids,
 * template versions...).
 * A computation of the same key already under way is awaited instead when the data version now is
 * the one it computes at (nothing has committed since it began, so its result is the current one).
 */
export async function snapshot<T>(
  datasetId: number,
  key: string,
  compute: (tx: Tx) => Promise<T>,
  options: { fresh?: boolean; allowStale?: boolean; reads?: TChanges; /** not noted as viewed (a refresh, or a caller that notes it: partials.ts) */ remembered?: boolean } = {},
): Promise<TSnapshot<T>> {
  // A page past its time budget (./budget.ts): what is stored, of whatever version, and nothing computed.
  if (isStoredOnly()) return storedSnapshot(datasetId, key, options.reads);
  // (A refresh does not count as a view: `remembered` keeps it from renewing the entry.)
  if (!options.fresh && !options.remembered) rememberViewed(datasetId, key, () => snapshot(datasetId, key, compute, { reads: options.reads, remembered: true }));
  const id = `${datasetId}\u0000${key}`;
  const other = running.get(id);
  if (other) {
    const [now, theirs] = await Promise.all([currentDataVersion(options.reads), other.version.catch(() => null)]);
    if (now === theirs) return (await other.result) as TSnapshot<T>;
  }
  let versionOf!: (version: string) => void;
  const version = new Promise<string>((resolve) => (versionOf = resolve));
  const result = snapshotNow(datasetId, key, compute, options, versionOf);
  const entry = { version: Promise.race([version, result.then((r) => r.version)]), result };
  entry.version.catch(() => undefined); // a failure is the result's to report
  running.set(id, entry);
  try {
    return await result;
  } finally {
    if (running.get(id) === entry) running.delete(id);
  }
}

/** The stored result of `key`, whatever its data version (NotStored when there is none; servedStale when it is not current). */
async function storedSnapshot<T>(datasetId: number, key: string, reads?: TChanges): Promise<TSnapshot<T>> {
  const [stored] = await db().$queryRaw<{ payload: T; computed_at: Date; computed_ms: number; version: string }[]>`
    SELECT payload, computed_at, computed_ms, version FROM analytics_snapshots WHERE dataset_id = ${datasetId} AND key = ${key}`;
  if (!stored) throw new NotStored(key);
  if (stored.version !== (await dataVersion(db(), reads)).version) servedStale();
  return { value: stored.payload, version: stored.version, computedAt: stored.computed_at, computedMs: stored.computed_ms, isCached: true };
}

async function snapshotNow<T>(
  datasetId: number,
  key: string,
  compute: (tx: Tx) => Promise<T>,
  options: { fresh?: boolean; allowStale?: boolean; reads?: TChanges },
  versionOf: (version: string) => void,
): Promise<TSnapshot<T>> {
  let readLongAgo = false;
  const result = await db().$transaction(
    async (tx) => {
      const current = await dataVersion(tx, options.reads);
      if (!options.fresh) {
        const [stored] = await tx.$queryRaw<{ payload: T; computed_at: Date; computed_ms: number; version: string; read_long_ago: boolean }[]>`
          SELECT payload, computed_at, computed_ms, version, read_at < localtimestamp - interval '1 hour' AS read_long_ago FROM analytics_snapshots
          WHERE dataset_id = ${datasetId} AND key = ${key} AND (version = ${current.version} OR ${options.allowStale === true})`;
        if (stored) {
          readLongAgo = stored.read_long_ago;
          return { value: stored.payload, version: stored.version, computedAt: stored.computed_at, computedMs: stored.computed_ms, isCached: true, current };
        }
      }
      versionOf(current.version);
      await tuneForAggregation(tx);
      const started = performance.now();
      const value = await compute(tx);
      return { value, version: current.version, computedAt: new Date(), computedMs: Math.round(performance.now() - started), isCached: false, current };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 300_000, maxWait: 60_000 },
  );
  const { current, ...out } = result;
  // Served: noted at most once an hour (a write per read would cost every page a statement).
  if (readLongAgo) await db().$executeRaw`UPDATE analytics_snapshots SET read_at = localtimestamp WHERE dataset_id = ${datasetId} AND key = ${key}`;
  if (!out.isCached) {
    // Outside the snapshot transaction: two readers storing the same key at once must not fail
    // on each other's row; whichever writes last leaves a result valid for its own version.
    await db().$executeRaw`
      INSERT INTO analytics_snapshots (dataset_id, key, version, payload, computed_ms, computed_at)
      VALUES (${datasetId}, ${key}, ${out.version}, ${JSON.stringify(out.value)}::jsonb, ${out.computedMs}, ${out.computedAt})
      ON CONFLICT (dataset_id, key) DO UPDATE SET version = excluded.version, payload = excluded.payload,
        computed_ms = excluded.computed_ms, computed_at = excluded.computed_at, read_at = excluded.read_at`;
    if (current.rows > COMPACT_ABOVE) await compact(current.maxId);
  }
  return out;
}

/** Figures neither served nor computed for this long are deleted (./refresher.ts). */
export const UNREAD_DAYS = 30;

/**
 * Deletes the snapshots nobody has read or computed for `days` (figures of old template versions,
 * pairs once broken down, batch sizes once tried), their parts (./partials.ts keeps them under the
 * snapshot's key), and parts whose snapshot is gone. A figure asked for again is computed anew.
 * Returns the snapshots and parts deleted.
 */
export async function expireSnapshots(days = UNREAD_DAYS): Promise<{ snapshots: number; parts: number }> {
  return db().$transaction(async (tx) => {
    const snapshots = await tx.$executeRaw`
      DELETE FROM analytics_snapshots WHERE read_at < localtimestamp - make_interval(days => ${days}::int)`;
    // each part probes analytics_snapshots by its primary key (dataset_id, key)
    const parts = await tx.$executeRaw`
      DELETE FROM analytics_partials p
      WHERE NOT EXISTS (SELECT 1 FROM analytics_snapshots s WHERE s.dataset_id = p.dataset_id AND s.key = p.key)`;
    return { snapshots, parts };
  });
}

/**
 * Folds the change rows up to `maxId` into one new row. The new row's id is larger than any
 * deleted one, so the version after compaction differs from every version before it; rows of
 * transactions still running are invisible here, are not deleted, and change the version when
 * they commit.
 */
async function compact(maxId: bigint) {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM analytics_changes WHERE id <= ${maxId}`;
    await tx.$executeRaw`INSERT INTO analytics_changes (xid, kinds) VALUES (pg_current_xact_id()::text::bigint, ${CHANGES.all}) ON CONFLICT (xid) DO NOTHING`;
  });
}

/**
 * When a page's figures were computed. Current figures are as of the newest computation among
 * them: the older ones are still current (nothing they read changed since: after a label, the
 * figures that read no labels keep their time), so the page reflects the data of that moment.
 * Stored figures shown while new ones are computed are as of the oldest (`oldestAt`).
 */
export function freshness(...snapshots: TSnapshot<unknown>[]): { computedAt: string; oldestAt: string; computedMs: number } {
  const times = snapshots.map((s) => new Date(s.computedAt).getTime());
  return {
    computedAt: new Date(Math.max(...times)).toISOString(),
    oldestAt: new Date(Math.min(...times)).toISOString(),
    computedMs: Math.max(...snapshots.map((s) => s.computedMs)),
  };
}

/** True when some analysed table changed in the last `ms` (a judge run or an import under way). */
export async function isDataChanging(ms: number): Promise<boolean> {
  // created_at is a timestamp without time zone written by the server: compare it on the server.
  const [last] = await db().$queryRaw<{ age_ms: number }[]>`
    SELECT (extract(epoch FROM localtimestamp - created_at) * 1000)::float8 AS age_ms FROM analytics_changes ORDER BY id DESC LIMIT 1`;
  return last !== undefined && last.age_ms < ms;
}

/** The data version now (outside any snapshot transaction: for the refresher). */
export async function currentDataVersion(kinds?: TChanges): Promise<string> {
  return (await dataVersion(db(), kinds)).version;
}
