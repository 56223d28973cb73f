// A run worker: `npm run worker` on any machine that reaches the database, or the one the
// launcher starts beside the app. Many can run at once. Each one
//  - works chunk jobs from the Postgres queue (pg-boss), several chunks at a time;
//  - dispatches: turns queued runs into running ones and sends a job for every chunk waiting for
//    one (lib/runs/dispatch.ts);
//  - beats: renews its lease and its endpoint slots, and hands the chunks of workers that
//    stopped beating (killed, crashed, unplugged) back to the dispatcher;
//  - watches the status of the runs it works on, to stop within a second on pause or cancel.
// A worker killed with SIGKILL loses nothing: its chunks go back to the queue once its lease
// lapses, and items it had judged are not judged again (lib/runs/chunks.ts pendingItems).
// (Runs outside Next, so no "server-only" here.)
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import pg from "pg";
import PgBoss from "pg-boss";
import { isConnectionLost } from "@/lib/db/connection";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { TCallFailure } from "@/lib/judges/failures";
import { loadRunnableJudge, type TRunnableJudge } from "@/lib/judges/runnable";
import { completeRunIfDone, failRun, noteChunkError, releaseChunk } from "./chunks";
import { CHUNK_QUEUE, dispatchChunks } from "./dispatch";
import { launchChunk, type TChunkContext } from "./process-chunk";
import { RetryActivity, SLOW_CALL_MS } from "./retry-activity";
import { EndpointSlots } from "./slots";
import { reclaimFromDeadWorkers, releaseOrphans, resetLostDispatches } from "./sweeps";

export { CHUNK_QUEUE };

export const DEAD_QUEUE = "judge-chunk-dead";
/** Runs started, resumed, paused or cancelled: a NOTIFY on this channel wakes workers at once. */
export const RUNS_CHANNEL = "studio_runs";

/**
 * Keeps a worker process alive when the database ends its connections (a restart, a failover,
 * an administrator). pg-boss 10 marks a job done or failed without awaiting it (src/manager.js,
 * the onFetch of work()), so a connection ended at that moment comes out as an unhandled
 * rejection, which would end the process. Such a job stays active until it expires and is then
 * worked again, which finds its chunk finished (./chunks.ts): nothing is lost or judged twice.
 * Any other unhandled rejection still ends the process, as it would without this.
 */
export function surviveLostQueueUpdates(log: (line: string) => void) {
  process.on("unhandledRejection", (reason) => {
    if (!isConnectionLost(reason)) throw reason;
    log(`a queue update was lost with its database connection (${(reason as Error).message}); the job is worked again when it expires`);
  });
}

export type TWorkerOptions = {
  prisma: PrismaClient;
  databaseUrl: string;
  /** chunk jobs worked at once */
  parallelChunks?: number;
  /** a chunk is handed back after this long (so no queue job outlives its expiry) */
  chunkBudgetMs?: number;
  heartbeatMs?: number;
  /** a request out for longer is reported as slow on the run's page (SLOW_CALL_MS) */
  slowCallMs?: number;
  /** a worker silent for this long is dead: its chunks and slots go to others */
  leaseMs?: number;
  dispatchMs?: number;
  /** connections of the queue's pool */
  poolMax?: number;
  /** how often to look for chunks whose queue job ended without them (lib/runs/sweeps.ts) */
  sweepMs?: number;
  flushEvery?: number;
  log?: (line: string) => void;
};

type TChunkJob = { id: string; data: { runId: number; idx: number } };

export class RunWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly o: Required<Omit<TWorkerOptions, "prisma" | "databaseUrl">> & Pick<TWorkerOptions, "prisma" | "databaseUrl">;
  private boss!: PgBoss;
  private pool!: pg.Pool;
  private listener: pg.Client | null = null;
  private slots: EndpointSlots;
  private stopping = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private workIds: string[] = [];
  /** Per run this worker works on: its stop signal, the chunks holding it, and its items in a row that failed for the judge's configuration or its endpoint (across its chunks). */
  private watched = new Map<number, { controller: AbortController; count: number; failures: number; answered: boolean }>();
  /** live workers (this one included) at the last heartbeat */
  private liveWorkers = 1;
  /** calls waiting to be retried or out for long, per run, sent with each heartbeat (lib/runs/progress.ts reads them) */
  private calls: RetryActivity;
  private judges = new Map<number, { judge: Promise<TRunnableJudge>; at: number }>();
  private busy = { heartbeat: false, dispatch: false, watch: false };
  /** chunks whose items are all launched, finishing their last requests */
  private tails = new Set<Promise<unknown>>();
  /** "runId:idx:jobId" of the chunks this worker works on (a claimed chunk not here is an orphan) */
  private active = new Set<string>();
  private lastLostDispatchSweep = 0;

  constructor(options: TWorkerOptions) {
    setMaxListeners(0, this.stopping.signal);
    this.o = {
      parallelChunks: 4,
      chunkBudgetMs: 60_000,
      heartbeatMs: 2_000,
      slowCallMs: SLOW_CALL_MS,
      leaseMs: 15_000,
      dispatchMs: 1_000,
      poolMax: 4,
      sweepMs: 30_000,
      flushEvery: 100,
      log: () => {},
      ...options,
    };
    this.slots = new EndpointSlots(this.o.prisma, this.id, this.o.leaseMs, this.o.log);
    this.calls = new RetryActivity(Date.now, this.o.slowCallMs);
  }

  async start() {
    const { prisma } = this.o;
    await prisma.judgeWorker.create({ data: { id: this.id, hostname: hostname(), pid: process.pid } });
    this.pool = new pg.Pool({ connectionString: this.o.databaseUrl, max: 2 });
    // An idle connection the server ended (a restart, a failover) is dropped from the pool and the
    // next query opens another; unheard, the event would end the worker.
    this.pool.on("error", (error) => this.o.log(`database connection ended: ${error.message}`));
    this.boss = new PgBoss({ connectionString: this.o.databaseUrl, schema: "pgboss", max: this.o.poolMax, schedule: false, maintenanceIntervalSeconds: 30 });
    this.boss.on("error", (error: Error) => this.o.log(`queue error: ${error.message}`));
    await this.boss.start();
    await this.boss.createQueue(DEAD_QUEUE, { name: DEAD_QUEUE });
    await this.boss.createQueue(CHUNK_QUEUE, {
      name: CHUNK_QUEUE,
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      // Well beyond a chunk's launch (bounded by its budget): expiry only matters for a worker that
      // died between fetching a job and claiming its chunk, or wedged without dying.
      expireInSeconds: Math.max(120, Math.ceil((this.o.chunkBudgetMs * 3) / 1000)),
      deadLetter: DEAD_QUEUE,
    });
    for (let i = 0; i < this.o.parallelChunks; i++) {
      this.workIds.push(await this.boss.work<TChunkJob["data"]>(CHUNK_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, ([job]) => this.onChunk(job as TChunkJob)));
    }
    await this.boss.work<TChunkJob["data"]>(DEAD_QUEUE, { pollingIntervalSeconds: 2 }, async ([job]) => this.onDeadChunk(job as TChunkJob));
    this.every(this.o.heartbeatMs, "heartbeat", () => this.heartbeat());
    this.every(this.o.dispatchMs, "dispatch", () => this.dispatch());
    this.every(500, "watch", () => this.watchStatuses());
    void this.dispatch();
    await this.listen();
    this.o.log(`worker ${this.id} started (${this.o.parallelChunks} chunks at a time)`);
  }

  private every(ms: number, name: keyof RunWorker["busy"], fn: () => Promise<unknown>) {
    const tick = () => {
      if (this.busy[name] || this.stopping.signal.aborted) return;
      this.busy[name] = true;
      const running = fn()
        .catch((error: Error) => this.o.log(`${name} failed: ${error.message}`))
        .finally(() => {
          this.busy[name] = false;
          this.running.delete(running);
        });
      this.running.add(running);
    };
    this.ticks[name] = tick;
    this.timers.push(setInterval(tick, ms));
  }

  private ticks: Partial<Record<keyof RunWorker["busy"], () => void>> = {};
  /** heartbeats, dispatches and status checks in progress (a stop waits for them) */
  private running = new Set<Promise<unknown>>();

  /**
   * LISTEN for run changes, so a run starts (or pauses) within milliseconds rather than at the
   * next poll. Polling stays the fallback: on the embedded database (one session for everyone)
   * notifications do not reach this connection, and a lost listener changes only the latency.
   */
  private async listen() {
    try {
      const client = new pg.Client({ connectionString: this.o.databaseUrl });
      client.on("error", () => (this.listener = null));
      client.on("notification", (message) => {
        // A run started, paused, resumed or cancelled: its judge is loaded afresh (a resume often
        // follows a fix to the judge's key or URL).
        const runId = Number(message.payload);
        if (Number.isInteger(runId)) this.judges.delete(runId);
        this.ticks.dispatch?.();
        this.ticks.watch?.();
      });
      await client.connect();
      await client.query(`LISTEN ${RUNS_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.o.log(`listening for run changes failed (${(error as Error).message}); polling instead`);
    }
  }

  private context(): TChunkContext {
    return {
      prisma: this.o.prisma,
      workerId: this.id,
      slots: this.slots,
      stop: this.stopping.signal,
      watchRun: (runId) => this.watch(runId),
      judgeFor: (run) => this.judgeFor(run),
      budgetMs: this.o.chunkBudgetMs,
      flushEvery: this.o.flushEvery,
      log: this.o.log,
    };
  }

  private async onChunk(job: TChunkJob) {
    const chunk = { runId: job.data.runId, idx: job.data.idx, jobId: job.id };
    const key = `${chunk.runId}:${chunk.idx}:${chunk.jobId}`;
    // A job fetched while the worker stops goes straight back to the dispatcher.
    if (this.stopping.signal.aborted) return releaseChunk(this.o.prisma, chunk);
    this.active.add(key);
    let tail = false;
    try {
      const { finished } = await launchChunk(this.context(), chunk);
      tail = true;
      this.tails.add(finished);
      void finished.finally(() => {
        this.tails.delete(finished);
        this.active.delete(key);
        // A chunk of the run is done: its next ones are sent now, not at the next tick (each run
        // has only a few queued at a time, ./dispatch.ts).
        this.ticks.dispatch?.();
      });
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      this.o.log(`run ${chunk.runId} chunk ${chunk.idx}: ${message} (the queue will retry it)`);
      await noteChunkError(this.o.prisma, chunk, message).catch(() => {});
      throw error;
    } finally {
      if (!tail) this.active.delete(key);
    }
  }

  /** The queue gave up on a chunk after its retries: the run fails with the chunk's last error. */
  private async onDeadChunk(job: TChunkJob) {
    const chunk = await this.o.prisma.judgeRunChunk.findUnique({ where: { runId_idx: { runId: job.data.runId, idx: job.data.idx } }, select: { lastError: true, finishedAt: true } });
    if (!chunk || chunk.finishedAt) return;
    await failRun(this.o.prisma, job.data.runId, `chunk ${job.data.idx} failed repeatedly: ${chunk.lastError ?? "unknown error"}; resume the run to try again`);
  }

  /** The judge of a run, loaded once a minute at most (settings and key are read at load). */
  private judgeFor(run: { id: number; judgeId: number; templateVersion: string }): Promise<TRunnableJudge> {
    const cached = this.judges.get(run.id);
    if (cached && Date.now() - cached.at < 60_000) return cached.judge;
    const judge = loadRunnableJudge(this.o.prisma, run.judgeId, run.templateVersion);
    this.judges.set(run.id, { judge, at: Date.now() });
    judge.catch(() => this.judges.delete(run.id));
    return judge;
  }

  private watch(runId: number) {
    let entry = this.watched.get(runId);
    if (!entry || entry.controller.signal.aborted) {
      entry = { controller: new AbortController(), count: 0, failures: 0, answered: false };
      setMaxListeners(0, entry.controller.signal);
      this.watched.set(runId, entry);
    }
    entry.count++;
    const held = entry;
    let released = false;
    return {
      signal: held.controller.signal,
      abort: (reason: string) => held.controller.abort(new Error(reason)),
      failuresInARow: (failed: boolean, answered: boolean) => {
        if (answered) held.answered = true;
        return (held.failures = failed ? held.failures + 1 : 0);
      },
      answered: () => held.answered,
      retrying: (failure: TCallFailure, waitMs: number) => this.calls.waiting(runId, failure, waitMs),
      sent: () => this.calls.sent(runId),
      done: () => {
        if (released) return;
        released = true;
        held.count--;
        if (held.count === 0 && this.watched.get(runId) === held) {
          this.watched.delete(runId);
          // No chunk of the run in hand: the next one loads the judge afresh, in case the run
          // stopped and was resumed meanwhile (another worker may have stopped it) with the judge fixed.
          this.judges.delete(runId);
        }
      },
    };
  }

  private async watchStatuses() {
    const ids = [...this.watched.keys()];
    if (ids.length === 0) return;
    const rows = await this.o.prisma.judgeRun.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    const status = new Map(rows.map((r) => [r.id, r.status]));
    for (const id of ids) {
      if (status.get(id) !== "running") this.watched.get(id)?.controller.abort(new Error(`run ${id} is ${status.get(id) ?? "gone"}`));
    }
  }

  private async heartbeat() {
    const { prisma } = this.o;
    const others = await prisma.$queryRaw<{ demand: Record<string, number> }[]>`
      SELECT demand FROM judge_workers WHERE id <> ${this.id} AND heartbeat_at > now() - ${this.o.leaseMs} * interval '1 millisecond'`;
    // This worker and the others alive: how many chunks of each run dispatch() keeps queued.
    this.liveWorkers = others.length + 1;
    const wanting: Record<string, number> = {};
    for (const w of others) for (const [endpoint, n] of Object.entries(w.demand ?? {})) if (n > 0) wanting[endpoint] = (wanting[endpoint] ?? 0) + 1;
    await this.slots.renew(wanting);
    const demand = JSON.stringify(this.slots.demand());
    const activity = JSON.stringify(this.calls.report());
    const beat = await prisma.$executeRaw`UPDATE judge_workers SET heartbeat_at = now(), demand = ${demand}::jsonb, activity = ${activity}::jsonb WHERE id = ${this.id}`;
    if (beat === 0) await prisma.judgeWorker.create({ data: { id: this.id, hostname: hostname(), pid: process.pid, demand: JSON.parse(demand), activity: JSON.parse(activity) } });
    const reclaimed = await reclaimFromDeadWorkers(prisma, this.o.leaseMs);
    if (reclaimed > 0) this.o.log(`took back ${reclaimed} chunk(s) from workers that stopped`);
    const orphans = await releaseOrphans(prisma, this.id, this.active);
    if (orphans > 0) this.o.log(`handed back ${orphans} chunk(s) this worker no longer works on`);
    await prisma.$executeRaw`DELETE FROM judge_workers WHERE heartbeat_at < now() - interval '1 hour'`;
  }

  /** Starts queued runs and sends a queue job for every chunk of a running run that has none. */
  async dispatch() {
    const { prisma } = this.o;
    await prisma.$executeRaw`UPDATE judge_runs SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now() WHERE status = 'queued'`;
    await completeRunIfDone(prisma);
    if (Date.now() - this.lastLostDispatchSweep > this.o.sweepMs) {
      this.lastLostDispatchSweep = Date.now();
      const lost = await resetLostDispatches(prisma);
      if (lost > 0) this.o.log(`sent ${lost} chunk(s) again whose queue job had ended unclaimed`);
    }
    // Enough of each run queued to keep every live worker's chunks busy twice over, not more:
    // the runs take turns (./dispatch.ts). The count is the last heartbeat's: dispatch runs after
    // every finished chunk, and a worker more or less for a few seconds only moves the turns.
    const sent = await dispatchChunks(this.pool, this.boss, 2 * this.o.parallelChunks * this.liveWorkers);
    // Wake this worker's queue loops instead of waiting for their next poll.
    if (sent > 0) for (const id of this.workIds) this.boss.notifyWorker(id);
    return sent;
  }

  /** Stops taking work, hands back what it holds, and leaves. */
  async stop() {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort(new Error("worker stopping"));
    for (const t of this.timers) clearInterval(t);
    await this.boss?.stop({ graceful: true, wait: true, timeout: 15_000 }).catch(() => {});
    await Promise.allSettled([...this.tails, ...this.running]);
    await this.slots.releaseAll().catch(() => {});
    await this.o.prisma.judgeWorker.delete({ where: { id: this.id } }).catch(() => {});
    await this.pool?.end().catch(() => {});
    await this.listener?.end().catch(() => {});
    this.o.log(`worker ${this.id} stopped`);
  }
}
