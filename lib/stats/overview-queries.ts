// The headline counts of a dataset for the overview page (the other headline numbers come from
// the views' own snapshots).
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { CHUNK_BITS, chunkedSnapshot } from "./partials";
import { CHANGES, snapshot, type TSnapshot } from "./snapshot";

export type TDatasetCounts = {
  questions: number;
  responses: number;
  goldCorrect: number;
  goldIncorrect: number;
  goldUnsure: number;
  labels: number;
  annotators: number;
};

/** A dataset's responses by gold label: they add up over chunks of responses. */
export type TResponseCounts = Pick<TDatasetCounts, "responses" | "goldCorrect" | "goldIncorrect" | "goldUnsure">;

/** The key of responseCounts' snapshot (the datasets list reads its last count to choose how to count). */
export const RESPONSE_COUNTS_KEY = "response-counts";

const noResponses = (): TResponseCounts => ({ responses: 0, goldCorrect: 0, goldIncorrect: 0, goldUnsure: 0 });

/**
 * The dataset's responses and their gold labels, kept as parts per chunk of responses
 * (./partials.ts): counting a million responses takes a quarter of a second, and after an
 * import, a judge run or a label only the chunks it touched are counted again. Shared by the
 * overview and the datasets list.
 */
export async function responseCounts(datasetId: number, options: { fresh?: boolean } = {}): Promise<TSnapshot<TResponseCounts>> {
  return chunkedSnapshot(
    datasetId,
    RESPONSE_COUNTS_KEY,
    {
      // Per chunk, its responses counted in responses(dataset_id, id) and each gold label's in
      // responses(dataset_id, gold_label, id): index-only ranges. One GROUP BY over the run's
      // responses took three times as long: the planner, which cannot tell how many chunks the ids
      // fall in, hashed a million rows into groups sized for a million (804 ms against 270 ms).
      compute: async (tx, run) => {
        const inChunk = Prisma.sql`dataset_id = ${datasetId} AND id >= c.chunk << ${CHUNK_BITS}::int AND id < (c.chunk + 1) << ${CHUNK_BITS}::int`;
        const gold = (label: string) => Prisma.sql`(SELECT count(*)::int FROM responses WHERE gold_label = ${label}::label_value AND ${inChunk})`;
        const rows = await tx.$queryRaw<(TResponseCounts & { chunk: number })[]>`
          SELECT c.chunk::int AS chunk, (SELECT count(*)::int FROM responses WHERE ${inChunk}) AS responses,
            ${gold("correct")} AS "goldCorrect", ${gold("incorrect")} AS "goldIncorrect", ${gold("unsure")} AS "goldUnsure"
          FROM unnest(${run.chunks}::bigint[]) AS c(chunk)`;
        return new Map(rows.filter((r) => r.responses > 0).map(({ chunk, ...counts }) => [chunk, counts]));
      },
      empty: noResponses,
      combine: (parts) =>
        parts.reduce(
          (sum, p) => ({
            responses: sum.responses + p.responses,
            goldCorrect: sum.goldCorrect + p.goldCorrect,
            goldIncorrect: sum.goldIncorrect + p.goldIncorrect,
            goldUnsure: sum.goldUnsure + p.goldUnsure,
          }),
          noResponses(),
        ),
    },
    options,
  );
}

export async function datasetCounts(datasetId: number, options: { fresh?: boolean } = {}): Promise<TSnapshot<TDatasetCounts>> {
  const [responses, rest] = await Promise.all([
    responseCounts(datasetId, options),
    snapshot(
      datasetId,
      "counts:questions-labels",
      async (tx) => {
        // questions(dataset_id, id): an index-only count.
        const [row] = await tx.$queryRaw<{ questions: number; labels: number; annotators: number }[]>`
          SELECT (SELECT count(*)::int FROM questions WHERE dataset_id = ${datasetId}) AS questions,
            count(*)::int AS labels, count(DISTINCT l.annotator)::int AS annotators
          FROM expert_labels l JOIN responses r ON r.id = l.response_id WHERE r.dataset_id = ${datasetId}`;
        return row!;
      },
      options,
    ),
  ]);
  const older = responses.computedAt < rest.computedAt ? responses : rest;
  return { ...older, computedMs: Math.max(responses.computedMs, rest.computedMs), isCached: responses.isCached && rest.isCached, value: { ...rest.value, ...responses.value } };
}

export type TDatasetFacets = { subjects: string[]; policyModels: string[] };

/** The subjects and policy models of a dataset, for filter pickers. */
export async function datasetFacets(datasetId: number, options: { fresh?: boolean; allowStale?: boolean } = {}): Promise<TSnapshot<TDatasetFacets>> {
  return snapshot(
    datasetId,
    "facets",
    async (tx) => {
      // Distinct subjects by skipping through questions(dataset_id, subject, id): one index probe per subject.
      const subjects = await tx.$queryRaw<{ subject: string }[]>`
        WITH RECURSIVE s AS (
          (SELECT subject FROM questions WHERE dataset_id = ${datasetId} AND subject IS NOT NULL ORDER BY subject LIMIT 1)
          UNION ALL
          SELECT (SELECT q.subject FROM questions q WHERE q.dataset_id = ${datasetId} AND q.subject > s.subject ORDER BY q.subject LIMIT 1)
          FROM s WHERE s.subject IS NOT NULL
        )
        SELECT subject FROM s WHERE subject IS NOT NULL`;
      // No index on policy_model: one pass over the dataset's responses, kept as a snapshot.
      const models = await tx.$queryRaw<{ model: string }[]>`
        SELECT DISTINCT policy_model AS model FROM responses WHERE dataset_id = ${datasetId} AND policy_model <> '' ORDER BY 1`;
      return { subjects: subjects.map((s) => s.subject), policyModels: models.map((m) => m.model) };
    },
    { ...options, reads: CHANGES.answers }, // subjects and policy models: no labels
  );
}
