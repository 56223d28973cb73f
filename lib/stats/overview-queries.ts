// The headline counts of a dataset for the overview page (the other headline numbers come from
// the views' own snapshots).
import "server-only";
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

export async function datasetCounts(datasetId: number, options: { fresh?: boolean } = {}): Promise<TSnapshot<TDatasetCounts>> {
  return snapshot(
    datasetId,
    "counts",
    async (tx) => {
      // questions(dataset_id, id), responses(dataset_id, gold_label, id): index-only counts.
      const [row] = await tx.$queryRaw<Omit<TDatasetCounts, "labels" | "annotators">[]>`
        SELECT (SELECT count(*)::int FROM questions WHERE dataset_id = ${datasetId}) AS questions,
          count(*)::int AS responses,
          count(*) FILTER (WHERE gold_label = 'correct')::int AS "goldCorrect",
          count(*) FILTER (WHERE gold_label = 'incorrect')::int AS "goldIncorrect",
          count(*) FILTER (WHERE gold_label = 'unsure')::int AS "goldUnsure"
        FROM responses WHERE dataset_id = ${datasetId}`;
      const [labels] = await tx.$queryRaw<{ labels: number; annotators: number }[]>`
        SELECT count(*)::int AS labels, count(DISTINCT l.annotator)::int AS annotators
        FROM expert_labels l JOIN responses r ON r.id = l.response_id WHERE r.dataset_id = ${datasetId}`;
      return { ...row!, ...labels! };
    },
    options,
  );
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
