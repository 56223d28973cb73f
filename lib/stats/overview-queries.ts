// The headline counts of a dataset for the overview page (the other headline numbers come from
// the views' own snapshots).
import "server-only";
import { snapshot, type TSnapshot } from "./snapshot";

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
