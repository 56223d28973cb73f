// Recording a judged reward batch: the training run's dataset, the questions (one per distinct
// question and reference), one response per item with its step, and the judgments, in one
// transaction: a request is recorded whole or not at all, and is browsable as soon as it commits.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { questionKey } from "@/lib/io/keys";
import { codePoints } from "@/lib/io/validate-item";
import type { TItemResult } from "@/lib/judges/result";
import { extractFinalStep } from "@/lib/verifier/final-step";
import type { TRewardOptions } from "./options";
import type { TRewardItem } from "./protocol";

export type TRecordInput = {
  run: string;
  /** the trainer's step, or null to number the request within the run */
  step: number | null;
  model: string;
  items: TRewardItem[];
  results: TItemResult[];
  judge: { id: number; templateVersion: string };
  options: TRewardOptions;
  /** the rewards before normalisation */
  scores: number[];
  latencyMs: number;
  tokenId: number | null;
  userId: string | null;
};

export type TRecorded = { datasetId: number; dataset: string; requestId: number; step: number };

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export async function recordRewardBatch(prisma: PrismaClient, input: TRecordInput): Promise<TRecorded> {
  const questionKeys = input.items.map((it) => questionKey({ text: it.question, reference: it.reference }));
  // The k responses to one question in this batch are its samples 0..k-1.
  const seen = new Map<string, number>();
  const sampleIndex = questionKeys.map((k) => {
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return n;
  });
  const distinct = [...new Map(questionKeys.map((k, i) => [k, i])).entries()];
  const requestKey = randomUUID();
  const mean = input.scores.length ? input.scores.reduce((a, r) => a + r, 0) / input.scores.length : null;

  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO datasets (name, description, created_by_id)
        VALUES (${input.run}, 'Recorded by the reward endpoint during RL training: one response per judged rollout, with its step.', ${input.userId})
        ON CONFLICT (name) DO NOTHING`;
      const [dataset] = await tx.$queryRaw<{ id: number; recorded: boolean; filled: boolean }[]>`
        SELECT d.id,
          EXISTS (SELECT 1 FROM reward_requests r WHERE r.dataset_id = d.id) AS recorded,
          EXISTS (SELECT 1 FROM questions q WHERE q.dataset_id = d.id) AS filled
        FROM datasets d WHERE d.name = ${input.run}`;
      if (!dataset) throw new AppError("CONFLICT", `the dataset "${input.run}" was deleted while this batch was judged; send it again`);
      if (!dataset.recorded && dataset.filled) {
        throw new AppError("CONFLICT", `run: a dataset named "${input.run}" exists and holds data not recorded by the reward endpoint; name the training run differently`);
      }
      // Numbering requests within a run (and nothing else) is serialised per run; judging is not.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(20261128, ${dataset.id})`;
      let step = input.step;
      if (step === null) {
        const [row] = await tx.$queryRaw<{ next: number }[]>`
          SELECT coalesce(max(step) FILTER (WHERE NOT step_given), 0) + 1 AS next FROM reward_requests WHERE dataset_id = ${dataset.id}`;
        step = row!.next;
      }
      const [request] = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO reward_requests (dataset_id, token_id, step, step_given, judge_id, template_version, options, size, mean_reward, latency_ms)
        VALUES (${dataset.id}, ${input.tokenId}, ${step}, ${input.step !== null}, ${input.judge.id}, ${input.judge.templateVersion},
          ${JSON.stringify(input.options)}::jsonb, ${input.items.length}, ${mean}, ${input.latencyMs})
        RETURNING id`;
      const requestId = request!.id;

      await tx.$executeRaw`
        INSERT INTO questions (dataset_id, key, text, reference, metadata)
        SELECT ${dataset.id}, key, text, reference, metadata::jsonb
        FROM unnest(${distinct.map(([k]) => k)}::text[], ${distinct.map(([, i]) => input.items[i]!.question)}::text[],
          ${distinct.map(([, i]) => input.items[i]!.reference)}::text[],
          ${distinct.map(([, i]) => JSON.stringify(input.items[i]!.prompt === input.items[i]!.question ? {} : { prompt: input.items[i]!.prompt }))}::text[])
          AS t(key, text, reference, metadata)
        ON CONFLICT (dataset_id, key) DO NOTHING`;
      const questions = await tx.$queryRaw<{ id: number; key: string }[]>`
        SELECT id, key FROM questions WHERE dataset_id = ${dataset.id} AND key = ANY(${distinct.map(([k]) => k)}::text[])`;
      const questionId = new Map(questions.map((q) => [q.key, q.id]));

      const metadata = JSON.stringify({ step, reward_request: requestId });
      const responses = await tx.$queryRaw<{ id: number; key: string }[]>`
        INSERT INTO responses (question_id, dataset_id, key, policy_model, sample_index, text, final_step, text_length, metadata)
        SELECT question_id, ${dataset.id}, key, ${input.model}, sample_index, text, final_step, text_length, ${metadata}::jsonb
        FROM unnest(${questionKeys.map((k) => questionId.get(k)!)}::int[], ${input.items.map((_, i) => `reward:${requestKey}:${i}`)}::text[],
          ${sampleIndex}::int[], ${input.items.map((it) => it.response)}::text[], ${input.items.map((it) => extractFinalStep(it.response))}::text[],
          ${input.items.map((it) => codePoints(it.response))}::int[])
          AS t(question_id, key, sample_index, text, final_step, text_length)
        RETURNING id, key`;
      const responseId = new Map(responses.map((r) => [r.key, r.id]));
      const ids = input.items.map((_, i) => responseId.get(`reward:${requestKey}:${i}`)!);
      const rs = input.results;
      const col = <K extends keyof TItemResult>(k: K) => rs.map((r) => r[k]);
      await tx.$executeRaw`
        INSERT INTO judgments (response_id, judge_id, template_version, sample, verdict, p_yes, p_no, soft_reward, raw_output,
          top_logprobs, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens)
        SELECT response_id, ${input.judge.id}, ${input.judge.templateVersion}, 0, verdict::verdict, p_yes, p_no, soft_reward, raw_output,
          top_logprobs::jsonb, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens
        FROM unnest(${ids}::int[], ${col("verdict")}::text[], ${col("pYes")}::float8[], ${col("pNo")}::float8[], ${col("softReward")}::float8[],
          ${col("rawOutput")}::text[], ${rs.map((r) => json(r.topLogprobs))}::text[], ${col("error")}::text[], ${col("errorKind")}::text[],
          ${col("promptHash")}::text[], ${col("attempts")}::int[], ${col("latencyMs")}::int[], ${col("promptTokens")}::int[], ${col("completionTokens")}::int[])
          AS t(response_id, verdict, p_yes, p_no, soft_reward, raw_output, top_logprobs, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens)`;
      return { datasetId: dataset.id, dataset: input.run, requestId, step };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

