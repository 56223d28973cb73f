// A run's running time: from its start to its end (or now), less the stretches it was stopped
// (paused, or failed until resumed). Pure: the run page counts it on as time passes.

export type TStopped = { stoppedMs: number; stoppedSince: Date | null };

/**
 * The stretches a run was stopped, from its pauses, failures and resumes in time order, as far as
 * they fall after its start (a run paused while queued had not started): the time of those that
 * ended, and the start of one still going on. (A failure from before failures were recorded has
 * no start: its stretch counts as running time.)
 */
export function stoppedTime(events: readonly { action: string; at: Date }[], startedAt: Date | null): TStopped {
  if (!startedAt) return { stoppedMs: 0, stoppedSince: null };
  const from = (d: Date) => (d < startedAt ? startedAt : d);
  let stoppedMs = 0;
  let since: Date | null = null;
  for (const e of events) {
    if (e.action === "run.pause" || e.action === "run.fail") since ??= e.at;
    else if (e.action === "run.resume" && since) {
      stoppedMs += Math.max(0, e.at.getTime() - from(since).getTime());
      since = null;
    }
  }
  return { stoppedMs, stoppedSince: since && from(since) };
}

/** Seconds a run has run, seen at `end`. */
export function runningSeconds(startedAt: Date, end: Date, stopped: TStopped): number {
  const open = stopped.stoppedSince ? Math.max(0, end.getTime() - stopped.stoppedSince.getTime()) : 0;
  return Math.max(0, end.getTime() - startedAt.getTime() - stopped.stoppedMs - open) / 1000;
}
