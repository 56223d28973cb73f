// Recording a reward batch: the training run's dataset, the questions (one per distinct question
// and reference), one response per item, the request, and the judgments, in one transaction: a
// request is recorded whole or not at all, and is browsable as soon as it commits.
// Recording is the time the studio adds to the trainer's, so it goes along with the judging:
// `openRecording` writes the dataset, questions, responses and the request while the judge is
// still working, `add` writes judgments as verdicts arrive, and `finish` commits (on a Postgres
// server; the embedded database runs one transaction at a time, so there it all runs after
// judging). It runs on a pg connection of its own rather than
// Prisma's: that sends the batch's big array parameters about twice as fast.
import { checkNewName } from "@/lib/datasets/names";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { Prisma } from "@/lib/db/generated/client";
import { pgSql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { questionKey } from "@/lib/io/keys";
import { codePoints } from "@/lib/io/validate-item";
import type { TItemResult } from "@/lib/judges/result";
import { extractFinalStep } from "@/lib/verifier/final-step";
import type { TRewardOptions } from "./options";
import type { TRewardItem } from "./protocol";
import { assertNotDeleting } from "@/lib/datasets/delete";

export type TRecordInput = {
  run: string;
  /** the trainer's step, when it gave one */
  step: number | null;
  model: string;
  items: TRewardItem[];
  judge: { id: number; templateVersion: string };
  options: TRewardOptions;
  tokenId: number | null;
  userId: string | null;
};

export type TRecorded = { datasetId: number; dataset: string; requestId: number; step: number | null };

export type TOpenRecording = {
  /** writes judgments (`index` = the item's position in the batch) within the transaction */
  add(judged: { index: number; result: TItemResult }[]): Promise<void>;
  /** writes the request's figures and commits */
  finish(scores: number[], latencyMs: number): Promise<TRecorded>;
  /** rolls everything back */
  abort(): Promise<void>;
};

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export async function openRecording(pool: pg.Pool, input: TRecordInput): Promise<TOpenRecording> {
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

  const client = await pool.connect();
  const sql = pgSql(client as unknown as pg.Client);
  let done = false;
  const end = async (command: "COMMIT" | "ROLLBACK") => {
    if (done) return;
    done = true;
    try {
      await client.query(command);
    } finally {
      client.release();
    }
  };
  try {
    await client.query("BEGIN");
    await checkNewName(sql, input.run).catch((error: unknown) => {
      throw error instanceof AppError ? new AppError("CONFLICT", `run: ${error.message}`) : error;
    });
    await sql.query(Prisma.sql`
      INSERT INTO datasets (name, description, created_by_id)
      VALUES (${input.run}, 'Recorded by the reward endpoint during RL training: one response per judged rollout, with its step.', ${input.userId})
      ON CONFLICT (name) DO NOTHING`);
    const [dataset] = await sql.query<{ id: number; recorded: boolean; filled: boolean; deletingAt: Date | null }>(Prisma.sql`
      SELECT d.id, d.deleting_at AS "deletingAt",
        EXISTS (SELECT 1 FROM reward_requests r WHERE r.dataset_id = d.id) AS recorded,
        EXISTS (SELECT 1 FROM questions q WHERE q.dataset_id = d.id) AS filled
      FROM datasets d WHERE d.name = ${input.run} FOR SHARE OF d`);
    if (!dataset) throw new AppError("CONFLICT", `the dataset "${input.run}" was deleted meanwhile; send the batch again`);
    assertNotDeleting({ name: input.run, deletingAt: dataset.deletingAt });
    if (!dataset.recorded && dataset.filled) {
      throw new AppError("CONFLICT", `run: a dataset named "${input.run}" exists and holds data not recorded by the reward endpoint; name the training run differently`);
    }
    const [request] = await sql.query<{ id: number }>(Prisma.sql`
      INSERT INTO reward_requests (dataset_id, token_id, step, judge_id, template_version, options, size)
      VALUES (${dataset.id}, ${input.tokenId}, ${input.step}, ${input.judge.id}, ${input.judge.templateVersion}, ${JSON.stringify(input.options)}::jsonb, ${input.items.length})
      RETURNING id`);
    const requestId = request!.id;

    await sql.query(Prisma.sql`
      INSERT INTO questions (dataset_id, key, text, reference, metadata)
      SELECT ${dataset.id}, key, text, reference, metadata::jsonb
      FROM unnest(${distinct.map(([k]) => k)}::text[], ${distinct.map(([, i]) => input.items[i]!.question)}::text[],
        ${distinct.map(([, i]) => input.items[i]!.reference)}::text[],
        ${distinct.map(([, i]) => JSON.stringify(input.items[i]!.prompt === input.items[i]!.question ? {} : { prompt: input.items[i]!.prompt }))}::text[])
        AS t(key, text, reference, metadata)
      ON CONFLICT (dataset_id, key) DO NOTHING`);
    const questions = await sql.query<{ id: number; key: string }>(Prisma.sql`
      SELECT id, key FROM questions WHERE dataset_id = ${dataset.id} AND key = ANY(${distinct.map(([k]) => k)}::text[])`);
    const questionId = new Map(questions.map((q) => [q.key, q.id]));

    const metadata = JSON.stringify(input.step === null ? { reward_request: requestId } : { step: input.step, reward_request: requestId });
    const responses = await sql.query<{ id: number; key: string }>(Prisma.sql`
      INSERT INTO responses (question_id, dataset_id, key, policy_model, sample_index, text, final_step, text_length, metadata)
      SELECT question_id, ${dataset.id}, key, ${input.model}, sample_index, text, final_step, text_length, ${metadata}::jsonb
      FROM unnest(${questionKeys.map((k) => questionId.get(k)!)}::int[], ${input.items.map((_, i) => `reward:${requestKey}:${i}`)}::text[],
        ${sampleIndex}::int[], ${input.items.map((it) => it.response)}::text[], ${input.items.map((it) => extractFinalStep(it.response))}::text[],
        ${input.items.map((it) => codePoints(it.response))}::int[])
        AS t(question_id, key, sample_index, text, final_step, text_length)
      RETURNING id, key`);
    const byKey = new Map(responses.map((r) => [r.key, r.id]));
    const responseIds = input.items.map((_, i) => byKey.get(`reward:${requestKey}:${i}`)!);

    return {
      abort: () => end("ROLLBACK"),
      async add(judged) {
        if (judged.length === 0) return;
        const results = judged.map((j) => j.result);
        const col = <K extends keyof TItemResult>(k: K) => results.map((r) => r[k]);
        await sql.query(Prisma.sql`
          INSERT INTO judgments (response_id, judge_id, template_version, sample, verdict, p_yes, p_no, soft_reward, raw_output,
            top_logprobs, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens)
          SELECT response_id, ${input.judge.id}, ${input.judge.templateVersion}, 0, verdict::verdict, p_yes, p_no, soft_reward, raw_output,
            top_logprobs::jsonb, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens
          FROM unnest(${judged.map((j) => responseIds[j.index]!)}::int[], ${col("verdict")}::text[], ${col("pYes")}::float8[], ${col("pNo")}::float8[],
            ${col("softReward")}::float8[], ${col("rawOutput")}::text[], ${results.map((r) => json(r.topLogprobs))}::text[], ${col("error")}::text[],
            ${col("errorKind")}::text[], ${col("promptHash")}::text[], ${col("attempts")}::int[], ${col("latencyMs")}::int[], ${col("promptTokens")}::int[],
            ${col("completionTokens")}::int[])
            AS t(response_id, verdict, p_yes, p_no, soft_reward, raw_output, top_logprobs, error, error_kind, prompt_hash, attempts, latency_ms, prompt_tokens, completion_tokens)`);
      },
      async finish(scores, latencyMs) {
        try {
          const mean = scores.length ? scores.reduce((a, r) => a + r, 0) / scores.length : null;
          const [check] = await sql.query<{ judged: number }>(Prisma.sql`
            WITH request AS (UPDATE reward_requests SET mean_reward = ${mean}, latency_ms = ${latencyMs} WHERE id = ${requestId} RETURNING id)
            SELECT count(*)::int AS judged FROM judgments WHERE response_id = ANY(${responseIds}::int[]) AND EXISTS (SELECT 1 FROM request)`);
          if (check!.judged !== input.items.length) throw new Error(`recorded ${check!.judged} of ${input.items.length} judgments`);
          await end("COMMIT");
          return { datasetId: dataset.id, dataset: input.run, requestId, step: input.step };
        } catch (error) {
          await end("ROLLBACK").catch(() => {});
          throw error;
        }
      },
    };
  } catch (error) {
    await end("ROLLBACK").catch(() => {});
    throw error;
  }
}
