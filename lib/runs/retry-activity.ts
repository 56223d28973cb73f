// What a run's calls are doing while nothing gets recorded: waiting to be retried (a 429 asking
// for a minute, an endpoint restarting) or out for long (an endpoint whose queue is full). A
// judgment records its attempts only once it ends, so without this a run whose calls all wait
// shows nothing but a rate of zero. Each worker counts its calls per run, sends the counts with
// its heartbeat (judge_workers.activity), and the run's progress adds up the live workers'.
// (No "server-only": the worker and the CLI use it outside Next.)
import type { TCallFailure } from "@/lib/judges/failures";

export type TRetryLast = { kind: string; message: string; at: string; waitMs: number };
/**
 * One run's calls in one worker: `waiting` to be retried now, `retried` (retries started since
 * the worker took the run up), the `last` retry; `slow`, requests out for longer than SLOW_CALL_MS,
 * and how long the oldest request out has been (`oldestMs`, null with none out).
 */
export type TRunActivity = { waiting: number; retried: number; last: TRetryLast | null; slow: number; oldestMs: number | null };

/** How long a run's last retry is still reported once none waits. */
export const RETRY_REPORTED_MS = 5 * 60_000;
/** A request out for longer than this is reported as slow. */
export const SLOW_CALL_MS = 10_000;
const MESSAGE_CHARS = 300;

type TEntry = { waiting: number; retried: number; last: TRetryLast | null; out: Set<{ since: number }> };

export class RetryActivity {
  private runs = new Map<number, TEntry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly slowMs = SLOW_CALL_MS,
  ) {}

  private entry(runId: number): TEntry {
    let entry = this.runs.get(runId);
    if (!entry) this.runs.set(runId, (entry = { waiting: 0, retried: 0, last: null, out: new Set() }));
    return entry;
  }

  /** A call of the run starts waiting to be retried; the result is called once, when it stops waiting (retried or aborted). */
  waiting(runId: number, failure: Pick<TCallFailure, "kind" | "message">, waitMs: number): () => void {
    const entry = this.entry(runId);
    entry.waiting++;
    entry.retried++;
    entry.last = { kind: failure.kind, message: failure.message.slice(0, MESSAGE_CHARS), at: new Date(this.now()).toISOString(), waitMs };
    return once(() => entry.waiting--);
  }

  /** A request of the run goes out; the result is called once, when its reply is in (or it failed). */
  sent(runId: number): () => void {
    const call = { since: this.now() };
    this.entry(runId).out.add(call);
    return once(() => this.runs.get(runId)?.out.delete(call));
  }

  /** What the heartbeat sends: runs with calls waiting or out, or whose last retry is recent. */
  report(): Record<string, TRunActivity> {
    const now = this.now();
    const out: Record<string, TRunActivity> = {};
    for (const [runId, entry] of this.runs) {
      const recent = entry.last !== null && now - Date.parse(entry.last.at) <= RETRY_REPORTED_MS;
      if (entry.waiting === 0 && entry.out.size === 0 && !recent) {
        this.runs.delete(runId);
        continue;
      }
      let slow = 0;
      let oldest: number | null = null;
      for (const call of entry.out) {
        const age = now - call.since;
        if (age > this.slowMs) slow++;
        oldest = Math.max(oldest ?? 0, age);
      }
      // Only what says something: a run whose requests come back in time and never retried is left out.
      if (entry.waiting === 0 && slow === 0 && !recent) continue;
      out[runId] = { waiting: entry.waiting, retried: entry.retried, last: entry.last && { ...entry.last }, slow, oldestMs: oldest };
    }
    return out;
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** The live workers' reports for one run, added up; null when none has anything to say of it. */
export function runActivity(reports: readonly unknown[], runId: number): TRunActivity | null {
  let total: TRunActivity | null = null;
  for (const report of reports) {
    const r = (report as Record<string, TRunActivity> | null)?.[String(runId)];
    if (!r || typeof r.waiting !== "number") continue;
    if (!total) total = { ...r };
    else {
      total.waiting += r.waiting;
      total.retried += r.retried;
      total.slow += r.slow ?? 0;
      if (r.last && (!total.last || r.last.at > total.last.at)) total.last = r.last;
      if (r.oldestMs !== null && r.oldestMs !== undefined) total.oldestMs = Math.max(total.oldestMs ?? 0, r.oldestMs);
    }
  }
  return total;
}
