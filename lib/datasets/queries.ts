// Reads for the datasets area.
import "server-only";
import pLimit from "p-limit";
import type { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { RESPONSE_COUNTS_KEY, responseCounts } from "@/lib/stats/overview-queries";

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

/**
 * From this many responses (as last counted) a dataset's response counts come from their parts per
 * chunk (lib/stats/overview-queries.ts responseCounts: a quarter of a second for a million
 * responses counted anew, a few milliseconds kept), below it from counting them now (cheaper
 * than the parts' bookkeeping for a small dataset). Tests lower it.
 */
export const COUNTED_IN_PARTS_FROM = { responses: 100_000 };

/**
 * `read` in a transaction without JIT compilation: the per-dataset counts are priced by rows the
 * planner has never seen counted (the datasets table is tiny and seldom analysed), which puts them
 * past JIT's threshold, and compiling took 116 ms of the list's 185 ms at a million responses for
 * a count that runs in 38 ms.
 */
function withoutJit<T>(read: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('jit', 'off', true)`;
    return read(tx);
  });
}

/**
 * Large datasets counted at once at most: each count is a lookup while its parts are current, but
 * after bulk writes to several of them each recounts its changed chunks over its own connections,
 * and all at once they would take the whole connection pool.
 */
const COUNTED_AT_ONCE = 2;

/** Every dataset with its counts and judges, newest first; `id` for one dataset's. */
export async function listDatasets(options: { id?: number } = {}): Promise<TDatasetSummary[]> {
  const id = options.id ?? null;
  const rows = await withoutJit((tx) => tx.$queryRaw<(Omit<TDatasetSummary, "judges" | "responses" | "labeled"> & { counted: number | null })[]>`
    SELECT d.id, d.name, d.description, d.created_at AS "createdAt", d.deleting_at AS "deletingAt",
      (SELECT count(*)::int FROM questions q WHERE q.dataset_id = d.id) AS questions,
      (SELECT (s.payload->>'responses')::int FROM analytics_snapshots s WHERE s.dataset_id = d.id AND s.key = ${RESPONSE_COUNTS_KEY}) AS counted
    FROM datasets d WHERE (${id}::int IS NULL OR d.id = ${id}) ORDER BY d.created_at DESC, d.id DESC`);
  // A dataset being deleted is counted now: its counts fall batch by batch, and its figures go.
  const inParts = new Set(rows.filter((d) => d.deletingAt === null && (d.counted ?? 0) >= COUNTED_IN_PARTS_FROM.responses).map((d) => d.id));
  const now = rows.filter((d) => !inParts.has(d.id)).map((d) => d.id);
  const countNow = (ids: number[]) =>
    withoutJit(
      (tx) => tx.$queryRaw<{ id: number; responses: number; labeled: number }[]>`
        SELECT d.id, (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id) AS responses,
          (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id AND r.gold_label IS NOT NULL) AS labeled
        FROM datasets d WHERE d.id = ANY(${ids}::int[])`,
    );
  const inPartsCount = async (datasetId: number) =>
    responseCounts(datasetId).then(
      ({ value: c }) => ({ id: datasetId, responses: c.responses, labeled: c.goldCorrect + c.goldIncorrect + c.goldUnsure }),
      // Its deletion began, or ended, since the list was read (its figures cannot be stored): count now.
      () => null,
    );
  const inTurn = pLimit(COUNTED_AT_ONCE);
  const [counted, parts, judges] = await Promise.all([
    countNow(now),
    Promise.all([...inParts].map((datasetId) => inTurn(() => inPartsCount(datasetId)))),
    datasetJudges(rows.map((d) => d.id)),
  ]);
  const failed = [...inParts].filter((_, i) => parts[i] === null);
  const countsOf = new Map<number, { responses: number; labeled: number }>([...counted, ...parts.filter((p) => p !== null), ...(failed.length ? await countNow(failed) : [])].map((c) => [c.id, c]));
  return rows.map(({ counted: _counted, ...d }) => ({ ...d, ...(countsOf.get(d.id) ?? { responses: 0, labeled: 0 }), judges: judges.get(d.id) ?? [] }));
}

/**
 * Datasets to pick from (names only, without listDatasets' counts or the datasets being deleted),
 * newest first, those without responses last: the first is what a page opens on when none is
 * asked for (a dataset made and not yet filled is no reason to show nothing).
 * (The EXISTS reads index responses(dataset_id, id).)
 */
export async function listDatasetNames(): Promise<{ id: number; name: string }[]> {
  return db().$queryRaw<{ id: number; name: string }[]>`
    SELECT d.id, d.name FROM datasets d WHERE d.deleting_at IS NULL
    ORDER BY NOT EXISTS (SELECT 1 FROM responses r WHERE r.dataset_id = d.id), d.created_at DESC, d.id DESC`;
}

/** A dataset to read or work on: null when there is none, or it is being deleted. */
export async function getDataset(id: number) {
  return db().dataset.findFirst({ where: { id, deletingAt: null }, select: { id: true, name: true, description: true, createdAt: true } });
}

/**
 * The judges that have judged something in each dataset: from their runs (index judge_runs(dataset_id,
 * created_at)) and from the reward endpoint's requests (index reward_requests(dataset_id, id)).
 * Archived judges are left out: this is where the judgments list, analytics, review and exports
 * learn a dataset's judges (lib/judges/archive.ts).
 */
export async function datasetJudges(datasetIds: number[]) {
  const rows = await db().$queryRaw<{ datasetId: number; id: number; name: string; sizeLabel: string; templateVersion: string }[]>`
    SELECT s.dataset_id AS "datasetId", j.id, j.name, j.size_label AS "sizeLabel", j.template_version AS "templateVersion"
    FROM (
      SELECT DISTINCT dataset_id, judge_id FROM judge_runs WHERE dataset_id = ANY(${datasetIds}::int[])
      UNION
      SELECT DISTINCT dataset_id, judge_id FROM reward_requests WHERE dataset_id = ANY(${datasetIds}::int[])
    ) s JOIN judges j ON j.id = s.judge_id AND j.archived_at IS NULL
    ORDER BY s.dataset_id, j.id`;
  const byDataset = new Map<number, { id: number; name: string; sizeLabel: string; templateVersion: string }[]>();
  for (const { datasetId, ...judge } of rows) byDataset.set(datasetId, [...(byDataset.get(datasetId) ?? []), judge]);
  return byDataset;
}

/**
 * How much of each text a dataset's page shows. Responses of reasoning models run to tens of
 * thousands of characters; a page of twenty questions with their five responses each in full was
 * megabytes, sent twice (the HTML and the React payload). The full text is one click away, in the
 * judgments list's detail panel.
 */
export const QUESTION_PAGE_CHARS = { question: 2000, reference: 2000, response: 480 };

/** A text cut to its first characters, and how many characters (code points, as Postgres counts) are left out. */
export type TTextStart = { start: string; more: number };

export type TQuestionWithResponses = {
  id: number;
  text: TTextStart;
  reference: TTextStart;
  subject: string | null;
  externalId: string | null;
  responses: { id: number; text: TTextStart; policyModel: string; sampleIndex: number; goldLabel: string | null }[];
};

/**
 * A page of a dataset's questions with their responses, keyset-paginated by question id. The
 * texts are cut in the database (`left`), so what is not shown is neither read into the server
 * nor sent; a response's length is its stored text_length (code points, as `left` counts).
 */
export async function listQuestions(datasetId: number, options: { after?: number; limit?: number }) {
  const limit = options.limit ?? 20;
  const { question, reference, response } = QUESTION_PAGE_CHARS;
  const questions = await db().$queryRaw<{ id: number; text: string; textMore: number; reference: string; referenceMore: number; subject: string | null; externalId: string | null }[]>`
    SELECT id, left(text, ${question}) AS text, greatest(length(text) - ${question}, 0)::int AS "textMore",
      left(reference, ${reference}) AS reference, greatest(length(reference) - ${reference}, 0)::int AS "referenceMore", subject, external_id AS "externalId"
    FROM questions WHERE dataset_id = ${datasetId} AND id > ${options.after ?? 0}
    ORDER BY id LIMIT ${limit + 1}`;
  const page = questions.slice(0, limit);
  const responses = page.length
    ? await db().$queryRaw<{ id: number; questionId: number; text: string; textMore: number; policyModel: string; sampleIndex: number; goldLabel: string | null }[]>`
        SELECT id, question_id AS "questionId", left(text, ${response}) AS text, greatest(text_length - ${response}, 0)::int AS "textMore", policy_model AS "policyModel",
          sample_index AS "sampleIndex", gold_label::text AS "goldLabel"
        FROM responses WHERE question_id = ANY(${page.map((q) => q.id)}::int[])
        ORDER BY question_id, sample_index, id`
    : [];
  const byQuestion = new Map<number, TQuestionWithResponses["responses"]>();
  for (const { questionId, text, textMore, ...r } of responses) {
    byQuestion.set(questionId, [...(byQuestion.get(questionId) ?? []), { ...r, text: { start: text, more: textMore } }]);
  }
  return {
    questions: page.map(
      (q): TQuestionWithResponses => ({
        id: q.id,
        text: { start: q.text, more: q.textMore },
        reference: { start: q.reference, more: q.referenceMore },
        subject: q.subject,
        externalId: q.externalId,
        responses: byQuestion.get(q.id) ?? [],
      }),
    ),
    nextCursor: questions.length > limit ? page.at(-1)!.id : null,
  };
}
