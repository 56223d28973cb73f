// Writing a batch of a run's results: the judgments and the run's counters in one statement, so
// a worker killed at any moment leaves both consistent. A judgment is unique per (response,
// judge, template version, sample): a result overwrites an existing judgment only when that one
// belongs to another run and either the run is forced or the old judgment failed (no verdict);
// so a result written twice (a chunk handed to a second worker) counts once. A failure is written
// only while the run is running.
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import type { TItemResult } from "@/lib/judges/result";

export type TRunTarget = { runId: number; judgeId: number; templateVersion: string; force: boolean };

/** A result, and which of the judge's samples of its item it is (0 unless the run takes several). */
export type TSampledResult = TItemResult & { sample?: number };

export async function writeResults(prisma: PrismaClient | Prisma.TransactionClient, target: TRunTarget, results: TSampledResult[]) {
  if (results.length === 0) return { written: 0 };
  const col = <K extends keyof TItemResult>(k: K) => results.map((r) => r[k]);
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const rows = await prisma.$queryRaw<{ written: number }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${col("responseId")}::int[], ${results.map((r) => r.sample ?? 0)}::int[], ${col("verdict")}::text[], ${col("pYes")}::float8[], ${col("pNo")}::float8[],
        ${col("softReward")}::float8[], ${col("rawOutput")}::text[], ${results.map((r) => json(r.topLogprobs))}::text[],
        ${col("error")}::text[], ${col("errorKind")}::text[], ${col("promptHash")}::text[], ${col("attempts")}::int[],
        ${col("latencyMs")}::int[], ${col("promptTokens")}::int[], ${col("completionTokens")}::int[]
      ) AS t(response_id, sample, verdict, p_yes, p_no, soft_reward, raw_output, top_logprobs, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens)
    ),
    written AS (
      INSERT INTO judgments AS j (response_id, judge_id, template_version, sample, verdict, p_yes, p_no, soft_reward, raw_output,
        top_logprobs, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens, run_id, created_at)
      SELECT response_id, ${target.judgeId}, ${target.templateVersion}, sample, verdict::verdict, p_yes, p_no, soft_reward, raw_output,
        top_logprobs::jsonb, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens, ${target.runId}, now()
      FROM input
      -- A failure that comes back once the run has stopped (paused, or failed on a refused key) is
      -- not recorded: the item is judged when the run resumes, not left failed (control.ts).
      WHERE verdict IS NOT NULL OR EXISTS (SELECT 1 FROM judge_runs WHERE id = ${target.runId} AND status = 'running')
      ON CONFLICT (response_id, judge_id, template_version, sample) DO UPDATE SET
        verdict = EXCLUDED.verdict, p_yes = EXCLUDED.p_yes, p_no = EXCLUDED.p_no, soft_reward = EXCLUDED.soft_reward,
        raw_output = EXCLUDED.raw_output, top_logprobs = EXCLUDED.top_logprobs, error = EXCLUDED.error,
        error_kind = EXCLUDED.error_kind, prompt_hash = EXCLUDED.prompt_hash, attempts = EXCLUDED.attempts,
        latency_ms = EXCLUDED.latency_ms, prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens,
        run_id = EXCLUDED.run_id, created_at = now()
      WHERE j.run_id IS DISTINCT FROM EXCLUDED.run_id AND (${target.force} OR j.verdict IS NULL)
      RETURNING j.verdict, j.prompt_tokens, j.completion_tokens
    ),
    counted AS (
      UPDATE judge_runs SET
        done = done + (SELECT count(*) FROM written WHERE verdict IS NOT NULL),
        failed = failed + (SELECT count(*) FROM written WHERE verdict IS NULL),
        unparseable = unparseable + (SELECT count(*) FROM written WHERE verdict = 'UNPARSEABLE'),
        prompt_tokens = prompt_tokens + (SELECT coalesce(sum(prompt_tokens), 0) FROM written),
        completion_tokens = completion_tokens + (SELECT coalesce(sum(completion_tokens), 0) FROM written),
        -- Another run judged these items meanwhile (not forced): they count as skipped. (The
        -- statement's snapshot predates its own writes, so an item this run wrote before is not
        -- among them.)
        skipped = skipped + (SELECT count(*) FROM input i JOIN judgments o ON o.response_id = i.response_id
          AND o.judge_id = ${target.judgeId} AND o.template_version = ${target.templateVersion} AND o.sample = i.sample
          WHERE o.run_id IS DISTINCT FROM ${target.runId} AND o.verdict IS NOT NULL AND NOT ${target.force}),
        updated_at = now()
      WHERE id = ${target.runId}
      RETURNING id
    )
    SELECT (SELECT count(*)::int FROM written) AS written, (SELECT count(*)::int FROM counted) AS runs`;
  return { written: rows[0]?.written ?? 0 };
}
