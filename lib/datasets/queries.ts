// Reads for the datasets area.
import "server-only";
import { db } from "@/lib/db/client";

export type TDatasetSummary = {
  id: number;
  name: string;
  description: string;
  createdAt: Date;
  questions: number;
  responses: number;
  labeled: number;
  /** when an admin asked for its deletion, which is under way (./delete.ts) */
  deletingAt: Date | null;
  judges: { id: number; name: string; sizeLabel: string }[];
};

/** Every dataset with its counts and judges, newest first; `id` for one dataset's. */
export async function listDatasets(options: { id?: number } = {}): Promise<TDatasetSummary[]> {
  const id = options.id ?? null;
  const datasets = await db().$queryRaw<Omit<TDatasetSummary, "judges">[]>`
    SELECT d.id, d.name, d.description, d.created_at AS "createdAt", d.deleting_at AS "deletingAt",
      (SELECT count(*)::int FROM questions q WHERE q.dataset_id = d.id) AS questions,
      (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id) AS responses,
      (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id AND r.gold_label IS NOT NULL) AS labeled
    FROM datasets d WHERE (${id}::int IS NULL OR d.id = ${id}) ORDER BY d.created_at DESC, d.id DESC`;
  const judges = await datasetJudges(datasets.map((d) => d.id));
  return datasets.map((d) => ({ ...d, judges: judges.get(d.id) ?? [] }));
}

/** Names only, newest first: for pickers, without listDatasets' per-dataset counts or the datasets being deleted. */
export async function listDatasetNames(): Promise<{ id: number; name: string }[]> {
  return db().dataset.findMany({ where: { deletingAt: null }, select: { id: true, name: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

/** A dataset to read or work on: null when there is none, or it is being deleted. */
export async function getDataset(id: number) {
  return db().dataset.findFirst({ where: { id, deletingAt: null }, select: { id: true, name: true, description: true, createdAt: true } });
}

/**
 * The judges that have judged something in each dataset: from their runs (index judge_runs(dataset_id,
 * created_at)) and from the reward endpoint's requests (index reward_requests(dataset_id, id)).
 */
export async function datasetJudges(datasetIds: number[]) {
  const rows = await db().$queryRaw<{ datasetId: number; id: number; name: string; sizeLabel: string; templateVersion: string }[]>`
    SELECT s.dataset_id AS "datasetId", j.id, j.name, j.size_label AS "sizeLabel", j.template_version AS "templateVersion"
    FROM (
      SELECT DISTINCT dataset_id, judge_id FROM judge_runs WHERE dataset_id = ANY(${datasetIds}::int[])
      UNION
      SELECT DISTINCT dataset_id, judge_id FROM reward_requests WHERE dataset_id = ANY(${datasetIds}::int[])
    ) s JOIN judges j ON j.id = s.judge_id
    ORDER BY s.dataset_id, j.id`;
  const byDataset = new Map<number, { id: number; name: string; sizeLabel: string; templateVersion: string }[]>();
  for (const { datasetId, ...judge } of rows) byDataset.set(datasetId, [...(byDataset.get(datasetId) ?? []), judge]);
  return byDataset;
}

export type TQuestionWithResponses = {
  id: number;
  text: string;
  reference: string;
  subject: string | null;
  externalId: string | null;
  responses: { id: number; text: string; policyModel: string; sampleIndex: number; goldLabel: string | null }[];
};

/** A page of a dataset's questions with their responses, keyset-paginated by question id. */
export async function listQuestions(datasetId: number, options: { after?: number; limit?: number }) {
  const limit = options.limit ?? 20;
  const questions = await db().question.findMany({
    where: { datasetId, ...(options.after ? { id: { gt: options.after } } : {}) },
    orderBy: { id: "asc" },
    take: limit + 1,
    select: {
      id: true,
      text: true,
      reference: true,
      subject: true,
      externalId: true,
      responses: {
        orderBy: [{ sampleIndex: "asc" }, { id: "asc" }],
        select: { id: true, text: true, policyModel: true, sampleIndex: true, goldLabel: true },
      },
    },
  });
  const page = questions.slice(0, limit);
  return { questions: page as TQuestionWithResponses[], nextCursor: questions.length > limit ? page.at(-1)!.id : null };
}
