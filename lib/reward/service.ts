// The reward endpoint's work, between the HTTP route and the judges: resolve the options and the
// judge, admit the batch (or refuse it with 429), judge every item concurrently under the judge's
// concurrency limit, turn verdicts into rewards (binary or soft, optionally normalised by Eq. 5),
// record the batch, answer. If the judge could not judge every item, the answer is 503 with the
// reason and nothing is recorded: a trainer must never train on a partial batch.
import pg from "pg";
import type { PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { judgeItem, loadRunnableJudge, type TRunnableJudge } from "@/lib/judges/runnable";
import type { TItemResult } from "@/lib/judges/result";
import { findJudge } from "@/lib/runs/resolve";
import { Admission, Semaphore } from "./admission";
import { zScores } from "@/lib/stats/rewards";
import { groupZScores } from "./normalize";
import { resolveOptions, type TRewardDefaults, type TRewardOptions } from "./options";
import type { TRewardRequest } from "./protocol";
import { openRecording, type TOpenRecording, type TRecorded } from "./record";

export type TRewardCaller = { userId: string | null; tokenId: number | null; tokenDefaults: TRewardDefaults };

export type TRewardAnswer = {
  rewards: number[];
  scores: number[];
  extra_logs: Record<string, number[]>;
  studio: TRecorded & { judge: string; template_version: string; options: TRewardOptions; timings: { judge_ms: number; record_ms: number } };
};

/** judgments written per statement while the batch is judged */
const JUDGMENT_SLICE = 64;

// One process-wide state (kept on globalThis so Next's module reloads in development share it).
type TState = { admission: Admission; semaphores: Map<string, Semaphore>; judges: Map<string, { judge: TRunnableJudge; at: number }>; pool?: pg.Pool };
const g = globalThis as typeof globalThis & { __rewardState?: TState };

export function rewardState(): TState {
  g.__rewardState ??= { admission: new Admission(Number(process.env.STUDIO_REWARD_MAX_PENDING ?? 8192)), semaphores: new Map(), judges: new Map() };
  return g.__rewardState;
}

/** The recording connections: a few, beside Prisma's pool, so trainers cannot starve the pages. */
function recordPool(): pg.Pool {
  const state = rewardState();
  if (!state.pool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    state.pool = new pg.Pool({ connectionString: url, max: Number(process.env.STUDIO_REWARD_DB_CONNECTIONS ?? 4) });
    state.pool.on("error", (error) => console.error("[reward] idle database connection failed", error.message));
  }
  return state.pool;
}

/** How long a loaded judge is reused: a trainer sends a batch every few seconds, and a change to
 * the judge's settings reaches the reward endpoint within this time. */
const JUDGE_CACHE_MS = 2_000;

async function cachedJudge(prisma: PrismaClient, ref: string | number): Promise<TRunnableJudge> {
  const { judges } = rewardState();
  const key = String(ref);
  const hit = judges.get(key);
  if (hit && performance.now() - hit.at < JUDGE_CACHE_MS) return hit.judge;
  const found = await findJudge(prisma, ref);
  const judge = await loadRunnableJudge(prisma, found.id);
  judges.set(key, { judge, at: performance.now() });
  return judge;
}

function semaphoreFor(judge: Extract<TRunnableJudge, { kind: "openai_compatible" }>): Semaphore {
  const key = `${judge.endpointKey}#${judge.settings.concurrency}`;
  const { semaphores } = rewardState();
  let s = semaphores.get(key);
  if (!s) semaphores.set(key, (s = new Semaphore(judge.settings.concurrency)));
  return s;
}

/**
 * The judge as the options want it: the final-step option, where it differs from the judge's
 * own setting, changes what is sent, so the judgments get their own template version
 * ("paper-v1+whole-response") and never mix with the judge's usual ones.
 */
function withFinalStep(judge: TRunnableJudge, finalStep: boolean | null): TRunnableJudge {
  const current = judge.kind === "rule_based" ? judge.settings.finalStepOnly : judge.template.finalStepOnly;
  if (finalStep === null || finalStep === current) return judge;
  const templateVersion = `${judge.templateVersion}+${finalStep ? "final-step" : "whole-response"}`;
  return judge.kind === "rule_based"
    ? { ...judge, templateVersion, settings: { ...judge.settings, finalStepOnly: finalStep } }
    : { ...judge, templateVersion, template: { ...judge.template, finalStepOnly: finalStep } };
}

/** Binary: the verdict (UNPARSEABLE counts as NO). Soft: the judge's soft reward, or the verdict where the reply had no probabilities. */
export function rewardOf(result: TItemResult, kind: "binary" | "soft"): number {
  const binary = result.verdict === "YES" ? 1 : 0;
  return kind === "soft" && result.softReward !== null ? result.softReward : binary;
}

export async function judgeRewardBatch(prisma: PrismaClient, request: TRewardRequest, layers: TRewardDefaults[], caller: TRewardCaller, run: string): Promise<TRewardAnswer> {
  const resolved = resolveOptions([request.options, ...layers, caller.tokenDefaults]);
  if (!resolved.ok) throw new AppError("INVALID", resolved.message);
  const options = resolved.options;
  const judge = withFinalStep(await cachedJudge(prisma, options.judge), options.finalStep);

  const n = request.items.length;
  const state = rewardState();
  const admission = state.admission;
  if (!admission.tryAdmit(n)) {
    throw new AppError("RATE_LIMITED", `the reward endpoint is judging ${admission.inFlight} items (limit ${admission.limit}); retry shortly`, {
      retryAfterSeconds: admission.retryAfterSeconds(n),
    });
  }
  const pool = recordPool();
  const recordInput = { run, step: request.step, model: request.model, items: request.items, judge: { id: judge.id, templateVersion: judge.templateVersion }, options, tokenId: caller.tokenId, userId: caller.userId };
  let opening: Promise<TOpenRecording> | null = null;
  // Judgments are written in slices as verdicts arrive, one slice at a time on the recording's
  // connection, so little is left to write after the last verdict.
  let pending: { index: number; result: TItemResult }[] = [];
  let writes: Promise<void> = Promise.resolve();
  const flush = () => {
    const open = opening;
    if (!open || pending.length === 0) return;
    const slice = pending;
    pending = [];
    writes = writes.then(async () => {
      if (slice.some((j) => j.result.verdict === null)) return; // the batch will be rolled back anyway
      await (await open).add(slice);
    });
    writes.catch(() => {}); // awaited after judging; this only keeps a failure from going unhandled meanwhile
  };
  const started = performance.now();
  const permits = judge.kind === "openai_compatible" ? semaphoreFor(judge) : undefined;
  const judging = Promise.all(
    request.items.map(async (item, index) => {
      const result = await judgeItem(judge, { ...item, responseId: index }, { permits });
      pending.push({ index, result });
      if (pending.length >= JUDGMENT_SLICE) flush();
      return result;
    }),
  );
  judging.catch(() => {}); // awaited below
  // Recording starts once the first requests are out, beside the judging, where the database
  // allows two transactions at once.
  if (process.env.STUDIO_EMBEDDED !== "1") {
    opening = openRecording(pool, recordInput);
    opening.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  }
  let results: TItemResult[];
  try {
    results = await judging;
  } catch (error) {
    await writes.catch(() => {});
    await opening?.then((r) => r.abort(), () => {});
    throw error;
  } finally {
    admission.release(n, (performance.now() - started) / 1000);
  }
  const latencyMs = Math.round(performance.now() - started);

  const failed = results.filter((r) => r.verdict === null);
  if (failed.length > 0) {
    await writes.catch(() => {});
    await opening?.then((r) => r.abort(), () => {});
    const first = failed[0]!;
    throw new AppError("UNAVAILABLE", `judge "${judge.name}" could not judge ${failed.length} of ${n} items (${first.errorKind}: ${first.error}); nothing was recorded`, {
      judge: judge.name,
      errorKind: first.errorKind,
    });
  }

  const recordStarted = performance.now();
  const scores = results.map((r) => rewardOf(r, options.reward));
  const rewards =
    options.normalize === "batch" ? zScores(scores) : options.normalize === "group" ? groupZScores(scores, request.items.map((it) => `${it.prompt}\u0000${it.question}`)) : scores;
  let recording: TOpenRecording;
  if (opening) {
    flush();
    const open = opening;
    try {
      await writes;
    } catch (error) {
      await open.then((r) => r.abort(), () => {});
      throw error;
    }
    recording = await open;
  } else {
    recording = await openRecording(pool, recordInput);
    await recording.add(results.map((result, index) => ({ index, result }))).catch(async (error: unknown) => {
      await recording.abort();
      throw error;
    });
  }
  const recorded = await recording.finish(scores, latencyMs);
  const recordMs = Math.round(performance.now() - recordStarted);
  return {
    rewards,
    scores,
    extra_logs: {
      judge_yes: results.map((r) => (r.verdict === "YES" ? 1 : 0)),
      judge_unparseable: results.map((r) => (r.verdict === "UNPARSEABLE" ? 1 : 0)),
      // 1 where a soft reward was asked for but the reply carried no usable probabilities
      soft_reward_missing: results.map((r) => (options.reward === "soft" && r.softReward === null ? 1 : 0)),
      judge_latency_ms: results.map((r) => r.latencyMs ?? 0),
    },
    studio: { ...recorded, judge: judge.name, template_version: judge.templateVersion, options, timings: { judge_ms: latencyMs, record_ms: recordMs } },
  };
}
