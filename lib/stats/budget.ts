// An analytics page answers within a time budget. After a small change the figures are
// recomputed from their stored parts in well under a second (./partials.ts), but after a change to
// most of a dataset (a judge run over a million responses, a bulk relabel) the computation passes
// over everything again: seconds. Rather than make the visitor wait for it, a page whose figures
// are not ready within the budget is sent with the figures last computed, marked as being updated
// (their time is on the page), while the computation goes on; the page reloads itself, and the next
// request awaits the same computation. A figure never computed before has nothing to show
// instead, so that request waits for it (imports, finished and started judge runs and the
// refresher compute the default figures before anyone opens them: ./refresher.ts, ./warm.ts).
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { env } from "@/lib/env";

/** Thrown by a snapshot read in stored-only mode (storedOnly) when the figure was never stored. */
export class NotStored extends Error {
  constructor(key: string) {
    super(`no stored figures for ${key}`);
  }
}

/** What a stored-only read met: whether any snapshot it served is older than the data. */
type TStoredRead = { stale: boolean };
const storedOnlyMode = new AsyncLocalStorage<TStoredRead>();

/**
 * True inside storedOnly: ./snapshot.ts then serves the stored result of any data version (calling
 * servedStale when it is not the current one), or throws NotStored, and computes nothing.
 */
export const isStoredOnly = () => storedOnlyMode.getStore() !== undefined;

/** Notes that a stored-only read served a snapshot older than the data. */
export function servedStale() {
  const read = storedOnlyMode.getStore();
  if (read) read.stale = true;
}

/** `read` with every snapshot served from the store as it is (see isStoredOnly), and whether any was older than the data. */
export async function storedOnly<T>(read: () => Promise<T>): Promise<{ value: T; stale: boolean }> {
  const state: TStoredRead = { stale: false };
  const value = await storedOnlyMode.run(state, read);
  return { value, stale: state.stale };
}

/** Computations a page started and did not wait for, by the page's key (one per key and process), with their end. */
const computing = new Map<string, { result: Promise<unknown>; settled: Promise<void> }>();
/** Keys whose last computation failed: the next request computes in the open, so that the page shows the error. */
const failed = new Set<string>();

export type TWithinBudget<T> = {
  value: T;
  /** true: `value` holds the figures stored before, while newer ones are computed */
  updating: boolean;
};

/**
 * `compute()` (the page's figures), or, when it is not done within `budgetMs`, the same figures
 * as last stored while it goes on. `key` names the page and every parameter of its figures: a
 * second request with the same key while the computation runs awaits it instead of starting
 * another (each would pass over the same data again).
 */
export async function withinBudget<T>(key: string, compute: () => Promise<T>, budgetMs = env().STUDIO_ANALYTICS_BUDGET_MS): Promise<TWithinBudget<T>> {
  // A computation that failed after its page was sent with stored figures would otherwise be
  // started again by every reload of that page, each failing out of sight, the page saying
  // "updating" for good: the next request waits for it instead, and shows its error if it fails.
  if (failed.delete(key) && !computing.has(key)) return { value: await compute(), updating: false };
  let entry = computing.get(key);
  if (!entry) {
    const result = compute();
    // Handled here, so that a failure nobody awaits any more is logged, not an unhandled rejection.
    const settled = result
      .then(
        () => undefined,
        (error) => {
          failed.add(key);
          console.error(`[analytics] computing ${key} failed: ${(error as Error).message}`);
        },
      )
      .finally(() => {
        if (computing.get(key) === entry) computing.delete(key);
      });
    entry = { result, settled };
    computing.set(key, entry);
  }
  const running = entry.result as Promise<T>;
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    running.then((value) => ({ value })),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), budgetMs))),
  ]).finally(() => clearTimeout(timer));
  if (inTime) return { value: inTime.value, updating: false };
  try {
    // Stored figures that are current are the page's figures (the computation was slow, not the data new).
    const stored = await storedOnly(compute);
    return { value: stored.value, updating: stored.stale };
  } catch (error) {
    if (!(error instanceof NotStored)) throw error;
    return { value: await running, updating: false };
  }
}

/** The end of the computation a page left running under `key` (resolves once it is done, failed or not), if any: for benchmarks and tests. */
export function computationUnderWay(key: string): Promise<void> | undefined {
  return computing.get(key)?.settled;
}
