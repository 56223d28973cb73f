// Judging one chunk: claim it, judge the items that still need a judgment (within the
// endpoint's shared concurrency limit), write results in batches as they come, then finish the
// chunk, or hand it back when the run is paused or cancelled, the worker stops, or the chunk's
// time budget is spent (a chunk never holds a queue job longer than its budget).
import { setMaxListeners } from "node:events";
import type { PrismaClient } from "@/lib/db/generated/client";
import { isAppError } from "@/lib/errors";
import { judgeOnEndpoint } from "@/lib/judges/endpoint";
import type { TCallFailure } from "@/lib/judges/failures";
import { ENDPOINT_FAILURE_KINDS, JUDGE_FAILURE_KINDS } from "@/lib/judges/failures";
import { judgeWithRule, type TRunnableJudge } from "@/lib/judges/runnable";
import { claimChunk, failRun, finishChunk, pendingItems, releaseChunk, type TChunkRef } from "./chunks";
import type { EndpointSlots } from "./slots";
import { writeResults, type TRunTarget, type TSampledResult } from "./write";

export type TChunkContext = {
  prisma: PrismaClient;
  workerId: string;
  slots: EndpointSlots;
  /** aborted when the worker stops */
  stop: AbortSignal;
  /** a signal aborted when the run stops running (paused, cancelled, failed), a way to stop the
   * run's work in this worker at once, the count of its items in a row (across this worker's
   * chunks of the run) that failed for the judge's configuration or its endpoint, and its release */
  watchRun: (runId: number) => {
    signal: AbortSignal;
    abort: (reason: string) => void;
    failuresInARow: (failed: boolean, answered: boolean) => number;
    /** whether the endpoint answered any of the run's items in this worker */
    answered: () => boolean;
    /** a call of the run waits to be retried after `failure` (for the run page); the result is called when it stops waiting */
    retrying: (failure: TCallFailure, waitMs: number) => () => void;
    /** a request of the run goes out; the result is called when it is back */
    sent: () => () => void;
    done: () => void;
  };
  /** the run's judge, with the run's template version */
  judgeFor: (run: { id: number; judgeId: number; templateVersion: string }) => Promise<TRunnableJudge>;
  budgetMs: number;
  flushEvery: number;
  log: (line: string) => void;
};

// A wrong key, a configuration that cannot be called, or an endpoint that is not there (refused
// connections, timeouts, 5xx or 429 on every retry) fails every item the same way: after this many
// items in a row the run stops with the reason, instead of going through the whole dataset
// recording the error on every item (and ending "completed"). A resume judges them again. An
// endpoint that has answered items of the run and then fails (a server restarting in the night)
// does not stop it: its failures are recorded, and judged again by a run of the failed items.
const FAILURES_TO_STOP = 10;

/**
 * Buffers results and writes them in batches, one write at a time: when `every` results wait, or
 * a quarter of a second after the first one came (so a killed worker loses at most that much
 * work, and progress shows as it happens).
 */
class ResultWriter {
  private buffer: TSampledResult[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  error: unknown = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly target: TRunTarget,
    private readonly every: number,
  ) {}

  add(result: TSampledResult) {
    this.buffer.push(result);
    if (this.buffer.length >= this.every) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), 250);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(async () => {
        if (this.error) return;
        try {
          await writeResults(this.prisma, this.target, batch);
        } catch (error) {
          this.error = error;
        }
      });
    }
    return this.writing;
  }
}

export type TChunkEnd = "finished" | "released" | "stale";

// A chunk that keeps failing after it started (its writes, say) is handed back and tried again
// by the dispatcher; after this many failures the run fails with the chunk's last error. (Claims
// are not counted: pauses, shutdowns and time budgets hand healthy chunks back too.)
const MAX_FAILURES = 5;

/**
 * Starts a chunk: claims it and launches its items. Resolves once every item is launched (the
 * queue job can then be completed: the chunk row, not the job, records the work, and the next
 * chunk starts while this one's last requests are in flight, so the endpoint never idles between
 * chunks). `finished` settles when the chunk is finished or handed back; it never rejects.
 */
export async function launchChunk(ctx: TChunkContext, chunk: TChunkRef): Promise<{ finished: Promise<TChunkEnd> }> {
  const { prisma } = ctx;
  const ids = await claimChunk(prisma, chunk, ctx.workerId);
  if (!ids) return { finished: Promise.resolve("stale") };
  const run = await prisma.judgeRun.findUnique({ where: { id: chunk.runId }, select: { id: true, status: true, judgeId: true, templateVersion: true, force: true, samples: true, done: true } });
  if (!run || run.status !== "running") {
    if (run) await releaseChunk(prisma, chunk);
    return { finished: Promise.resolve("released") };
  }
  const history = await prisma.judgeRunChunk.findUnique({ where: { runId_idx: { runId: chunk.runId, idx: chunk.idx } }, select: { failures: true, lastError: true } });
  if (history && history.failures >= MAX_FAILURES) {
    await failRun(prisma, run.id, `chunk ${chunk.idx} failed ${history.failures} times: ${history.lastError ?? "unknown error"}; resume the run to try again`);
    await releaseChunk(prisma, chunk);
    return { finished: Promise.resolve("released") };
  }
  let judge: TRunnableJudge;
  try {
    judge = await ctx.judgeFor(run);
  } catch (error) {
    // The judge cannot run as configured (deleted, missing key variable, undecryptable key):
    // every chunk would fail the same way, so the run stops with the reason.
    if (!isAppError(error)) throw error;
    await failRun(prisma, run.id, error.message);
    await releaseChunk(prisma, chunk, error.message);
    return { finished: Promise.resolve("released") };
  }
  const items = await pendingItems(prisma, run, ids);
  const watch = ctx.watchRun(run.id);
  const writer = new ResultWriter(prisma, { runId: run.id, judgeId: run.judgeId, templateVersion: run.templateVersion, force: run.force }, ctx.flushEvery);
  const signal = AbortSignal.any([ctx.stop, watch.signal]);
  // Every item in flight listens to it (request and retry waits): no listener limit.
  setMaxListeners(0, signal);
  let complete = true;
  const inflight = new Set<Promise<void>>();

  if (judge.kind === "rule_based") {
    for (const item of items) writer.add({ ...judgeWithRule(judge.settings, item), sample: item.sample });
  } else {
    const permits = ctx.slots.pool(judge.endpointKey, judge.settings.concurrency);
    const launched = await launchWithin(items, judge.settings.concurrency, Date.now() + ctx.budgetMs, () => signal.aborted || writer.error !== null, inflight, (item) =>
      judgeOnEndpoint(judge, item, { stop: signal, permits, onRetry: watch.retrying, onSent: watch.sent })
        .then((result) => {
          writer.add({ ...result, sample: item.sample });
          // Counted over the run's chunks in this worker: each chunk counting its own let several
          // chunks at a time send up to ten requests each before one of them stopped the run.
          const kind = result.errorKind ?? "";
          const answered = kind === "" || kind === "unparseable";
          if (watch.failuresInARow(JUDGE_FAILURE_KINDS.has(kind) || ENDPOINT_FAILURE_KINDS.has(kind), answered) === FAILURES_TO_STOP) {
            const endpoint = ENDPOINT_FAILURE_KINDS.has(kind);
            // The endpoint answered before (in this worker, or any item of the run when this chunk
            // started): a failure to record, not a wrong URL. Decided at once, so that the stop
            // comes before more requests go out.
            if (!(endpoint && (watch.answered() || run.done > 0))) {
              const hint = endpoint ? "; the endpoint has answered none of the run's items: check its URL, its model name and that it is up, then resume the run" : "";
              const reason = `stopped after ${FAILURES_TO_STOP} items in a row failed with: ${result.error}${hint}`;
              watch.abort(reason);
              // The failures written first: once the run has stopped, failures are no longer recorded (./write.ts).
              void writer.flush().then(() => failRun(prisma, run.id, reason));
            }
          }
        })
        .catch(() => {
          // Aborted (pause, cancel, shutdown): the item stays undone and is judged later.
          complete = false;
        }),
    );
    if (!launched) complete = false;
  }

  const finished = (async (): Promise<TChunkEnd> => {
    try {
      await Promise.all(inflight);
      await writer.flush();
      if (writer.error) throw writer.error;
      if (complete && !signal.aborted) {
        await finishChunk(prisma, chunk);
        return "finished";
      }
      await releaseChunk(prisma, chunk);
      return "released";
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      ctx.log(`run ${chunk.runId} chunk ${chunk.idx}: ${message} (handed back to the dispatcher)`);
      await releaseChunk(prisma, chunk, message).catch(() => {});
      return "released";
    } finally {
      watch.done();
    }
  })();
  return { finished };
}

/**
 * Starts `launch(item)` for the items in order, at most `limit` unfinished at a time (kept in
 * `inflight` until they settle), until every item is started, `stopped()` says so, or the deadline
 * passes. The deadline also ends a wait for a free place: the items in flight may take minutes (an
 * endpoint that hangs until the timeout on every retry, or asks to retry in five minutes), and the
 * chunk's queue job, completed once its items are launched, would expire meanwhile and be handed
 * to a second worker, which would send the same items again. Returns whether every item started.
 */
export async function launchWithin<T>(
  items: readonly T[],
  limit: number,
  deadline: number,
  stopped: () => boolean,
  inflight: Set<Promise<void>>,
  launch: (item: T) => Promise<void>,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadlinePassed = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  const late = () => stopped() || Date.now() >= deadline;
  try {
    for (const item of items) {
      while (inflight.size >= limit && !late()) await Promise.race([...inflight, deadlinePassed]);
      if (late()) return false;
      const task: Promise<void> = launch(item).finally(() => inflight.delete(task));
      inflight.add(task);
    }
    return true;
  } finally {
    clearTimeout(timer);
  }
}

/** Judges a chunk to its end (tests, and anything that wants one chunk at a time). */
export async function processChunk(ctx: TChunkContext, chunk: TChunkRef): Promise<TChunkEnd> {
  const { finished } = await launchChunk(ctx, chunk);
  return finished;
}
