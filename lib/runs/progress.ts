// A run's progress as the runs page, the API and the CLI show it: counts, throughput over the
// last seconds, ETA, tokens, errors by kind with examples, and the live workers.
// (Used by the CLI outside Next, so no "server-only" here.)
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { runActivity, type TRunActivity } from "./retry-activity";
import { runningSeconds, stoppedTime } from "./running-time";

type Db = PrismaClient | Prisma.TransactionClient;

/** Throughput is measured over this window. */
export const RATE_WINDOW_SECONDS = 20;

/** `sample`: which of the judge's samples of the response (0 unless the run takes several) */
export type TRunError = { kind: string; count: number; examples: { responseId: number; sample: number; error: string | null; rawOutput: string | null }[] };

export type TRunProgress = {
  id: number;
  status: string;
  judge: { id: number; name: string; sizeLabel: string; kind: string };
  dataset: { id: number; name: string };
  templateVersion: string;
  source: string;
  force: boolean;
  /** judgments per item; the counts are of judgments */
  samples: number;
  filter: string;
  settings: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  total: number;
  done: number;
  failed: number;
  unparseable: number;
  skipped: number;
  remaining: number;
  promptTokens: number;
  completionTokens: number;
  /** items per second over the last RATE_WINDOW_SECONDS, judged or failed (null before any): what the ETA goes by */
  throughput: number | null;
  /** of those, the failed ones: a run whose every call fails still moves on, at a rate of failures */
  throughputFailed: number | null;
  /** items per second over the time it ran (paused and failed stretches left out), judged or failed */
  averageThroughput: number | null;
  /** of those, the failed ones */
  averageFailed: number | null;
  /** time the run spent stopped (paused, or failed until resumed) in stretches that ended; and since when it is stopped now, if it is */
  stoppedMs: number;
  stoppedSince: string | null;
  etaSeconds: number | null;
  errors: TRunError[];
  /**
   * Of the run's latest verdicts (up to SOFTLESS_SAMPLE), how many came without a soft reward, by
   * cause: `noLogprobs`, the reply held no log-probabilities (an endpoint that ignores the request:
   * vLLM started with --max-logprobs below top_logprobs, a server without logprobs support);
   * `offPosition`, it held them, but the scored token's alternatives had neither YES nor NO (the
   * verdict is not the first generated token: a thinking block or markdown before it). A run
   * with either would otherwise look healthy. null when the judge asks for none (top_logprobs 0)
   * or is a rule.
   */
  softless: { latest: number; noLogprobs: number; offPosition: number } | null;
  /** the live workers' calls of the run waiting to be retried or out for long, and the latest retry's reason (running runs only) */
  calls: TRunActivity | null;
  workersOnline: number;
};

export const SOFTLESS_SAMPLE = 200;

export async function runProgress(prisma: Db, runId: number): Promise<TRunProgress | null> {
  const run = await prisma.judgeRun.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      templateVersion: true,
      source: true,
      force: true,
      samples: true,
      filter: true,
      settings: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      error: true,
      total: true,
      done: true,
      failed: true,
      unparseable: true,
      skipped: true,
      promptTokens: true,
      completionTokens: true,
      judge: { select: { id: true, name: true, sizeLabel: true, kind: true } },
      dataset: { select: { id: true, name: true } },
      createdBy: { select: { name: true } },
    },
  });
  if (!run) return null;
  // index audit_events(entity, entity_id, created_at)
  const events = await prisma.$queryRaw<{ action: string; at: Date }[]>`
    SELECT action, created_at AS at FROM audit_events
    WHERE entity = 'judge_run' AND entity_id = ${String(runId)} AND action IN ('run.pause', 'run.fail', 'run.resume')
    ORDER BY created_at, id`;
  const stops = stoppedTime(events, run.startedAt);
  // The rate's window starts at the latest start or resume: judgments before a pause would make
  // a run just resumed look slow (and its ETA long) for the window's length.
  const lastResume = events.filter((e) => e.action === "run.resume").at(-1)?.at;
  const since = lastResume && run.startedAt && lastResume > run.startedAt ? lastResume : (run.startedAt ?? new Date());
  // Index judgments(run_id, created_at) for the window, judgments(run_id, error_kind) for errors.
  const [recent] = await prisma.$queryRaw<{ n: number; failed: number; window: number }[]>`
    SELECT count(*)::int AS n, count(*) FILTER (WHERE verdict IS NULL)::int AS failed,
      LEAST(${RATE_WINDOW_SECONDS}, GREATEST(1, EXTRACT(EPOCH FROM now() - ${since}::timestamp)))::float8 AS window
    FROM judgments WHERE run_id = ${runId} AND created_at > GREATEST(now() - ${RATE_WINDOW_SECONDS} * interval '1 second', ${since}::timestamp)`;
  const errors = await prisma.$queryRaw<{ kind: string; count: number; response_id: number; sample: number; error: string | null; raw_output: string | null }[]>`
    SELECT k.kind, k.count, e.response_id, e.sample, e.error, left(e.raw_output, 300) AS raw_output
    FROM (SELECT error_kind AS kind, count(*)::int AS count FROM judgments WHERE run_id = ${runId} AND error_kind IS NOT NULL GROUP BY error_kind) k
    CROSS JOIN LATERAL (SELECT response_id, sample, error, raw_output FROM judgments
      WHERE run_id = ${runId} AND error_kind = k.kind ORDER BY id DESC LIMIT 3) e
    ORDER BY k.count DESC, k.kind, e.response_id, e.sample`;
  const settings = run.settings as { topLogprobs?: number };
  const asksSoft = run.judge.kind === "openai_compatible" && (settings.topLogprobs ?? 0) > 0;
  // The newest judgments by judgments(run_id, created_at): a few hundred rows, whatever the run's size.
  const [softless] = asksSoft
    ? await prisma.$queryRaw<{ latest: number; noLogprobs: number; offPosition: number }[]>`
        SELECT count(*)::int AS latest, count(*) FILTER (WHERE top_logprobs IS NULL)::int AS "noLogprobs",
          count(*) FILTER (WHERE top_logprobs IS NOT NULL AND soft_reward IS NULL)::int AS "offPosition"
        FROM (SELECT soft_reward, top_logprobs FROM judgments WHERE run_id = ${runId} AND verdict IN ('YES', 'NO') ORDER BY created_at DESC LIMIT ${SOFTLESS_SAMPLE}) j`
    : [];
  const live = await prisma.$queryRaw<{ activity: unknown }[]>`
    SELECT activity FROM judge_workers WHERE heartbeat_at > now() - interval '20 seconds'`;

  const byKind = new Map<string, TRunError>();
  for (const e of errors) {
    const entry = byKind.get(e.kind) ?? { kind: e.kind, count: e.count, examples: [] };
    entry.examples.push({ responseId: e.response_id, sample: e.sample, error: e.error, rawOutput: e.raw_output });
    byKind.set(e.kind, entry);
  }
  const processed = run.done + run.failed;
  // (Items another run judged meanwhile count as skipped, not processed: a completed run has none left.)
  const remaining = run.status === "completed" ? 0 : Math.max(0, run.total - processed);
  const active = run.status === "running";
  const throughput = recent && recent.n > 0 && active ? recent.n / recent.window : active ? 0 : null;
  const throughputFailed = recent && recent.n > 0 && active ? recent.failed / recent.window : active ? 0 : null;
  const end = run.finishedAt ?? new Date();
  const elapsed = run.startedAt ? runningSeconds(run.startedAt, end, stops) : 0;
  return {
    id: run.id,
    status: run.status,
    judge: run.judge,
    dataset: run.dataset,
    templateVersion: run.templateVersion,
    source: run.source,
    force: run.force,
    samples: run.samples,
    filter: (run.filter as { query?: string }).query ?? "",
    settings: run.settings as Record<string, unknown>,
    createdBy: run.createdBy?.name ?? null,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error,
    total: run.total,
    done: run.done,
    failed: run.failed,
    unparseable: run.unparseable,
    skipped: run.skipped,
    remaining,
    promptTokens: Number(run.promptTokens),
    completionTokens: Number(run.completionTokens),
    throughput,
    throughputFailed,
    averageThroughput: elapsed > 0 && processed > 0 ? processed / elapsed : null,
    averageFailed: elapsed > 0 && processed > 0 ? run.failed / elapsed : null,
    stoppedMs: stops.stoppedMs,
    stoppedSince: stops.stoppedSince?.toISOString() ?? null,
    etaSeconds: throughput && throughput > 0 ? remaining / throughput : null,
    errors: [...byKind.values()],
    softless: softless ?? null,
    calls: active ? runActivity(live.map((w) => w.activity), runId) : null,
    workersOnline: live.length,
  };
}
