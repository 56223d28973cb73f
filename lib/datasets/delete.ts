// Deleting a dataset: an admin's decision, confirmed by typing its name. At a million responses
// one cascading DELETE of the dataset's row takes about a minute (every deleted response checks
// five referencing tables row by row) and holds its locks all along, so the row is only marked in
// the request, and the rows go in the background, a batch of questions per transaction: the
// children of their responses set-based first, then the responses, then the questions. Batches
// are idempotent, so a restart, or two instances, simply go on (resumeDatasetDeletions at start);
// the dataset's own row goes last, with what hangs on it (runs, review queues, figures, reward
// requests). Its import jobs and exports stay as records, their dataset unset.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";

/** Questions per batch: about 5 responses each, with their judgments and labels. */
const BATCH_QUESTIONS = 2_000;

/** The tables whose rows hang on a response (history before the labels it points to). */
const RESPONSE_CHILDREN = ["expert_label_history", "expert_labels", "adjudications", "review_items", "judgments"] as const;

/** Refuses work on a dataset being deleted: the import, run, export or review about to start on it. */
export function assertNotDeleting(dataset: { name: string; deletingAt: Date | null }) {
  if (dataset.deletingAt) throw new AppError("CONFLICT", `dataset "${dataset.name}" is being deleted`);
}

/**
 * In the transaction that creates a run, an export or a queue on the dataset: its row, shared-
 * locked, so that a deletion starting meanwhile waits for that transaction and then sees its work
 * (and refuses), or has marked the dataset first and this refuses.
 */
export async function lockLiveDataset(tx: Prisma.TransactionClient, datasetId: number) {
  const [dataset] = await tx.$queryRaw<{ name: string; deleting_at: Date | null }[]>`SELECT name, deleting_at FROM datasets WHERE id = ${datasetId} FOR SHARE`;
  if (!dataset) throw new AppError("NOT_FOUND", `dataset ${datasetId} does not exist`);
  assertNotDeleting({ name: dataset.name, deletingAt: dataset.deleting_at });
}

/**
 * Marks a dataset for deletion (admins only, the caller checks the role) and returns at once; the
 * caller then starts runDatasetDeletion. Refused while an import into it, a judge run on it or an
 * export of it is queued or running: those would write or read rows being removed.
 */
export async function startDatasetDeletion(prisma: PrismaClient, input: { datasetId: number; confirmName: string; actorId: string }) {
  return prisma.$transaction(async (tx) => {
    // The lock orders this with a run or an export being created on the dataset, which read it.
    const [dataset] = await tx.$queryRaw<{ id: number; name: string; deleting_at: Date | null }[]>`
      SELECT id, name, deleting_at FROM datasets WHERE id = ${input.datasetId} FOR UPDATE`;
    if (!dataset) throw new AppError("NOT_FOUND", `no dataset ${input.datasetId}`);
    if (dataset.deleting_at) throw new AppError("CONFLICT", `dataset "${dataset.name}" is already being deleted`);
    if (input.confirmName !== dataset.name) throw new AppError("INVALID", `type the dataset's name, "${dataset.name}", to confirm`);
    const [busy] = await tx.$queryRaw<{ what: string }[]>`
      SELECT 'import #' || id AS what FROM import_jobs WHERE (dataset_id = ${dataset.id} OR dataset_name = ${dataset.name}) AND status IN ('queued', 'running')
      UNION ALL SELECT 'judge run #' || id FROM judge_runs WHERE dataset_id = ${dataset.id} AND status IN ('queued', 'running')
      UNION ALL SELECT 'export #' || id FROM exports WHERE dataset_id = ${dataset.id} AND status IN ('queued', 'running')
      LIMIT 1`;
    if (busy) throw new AppError("CONFLICT", `${busy.what} is still working on dataset "${dataset.name}": let it finish, or cancel it, first`);
    const [counts] = await tx.$queryRaw<{ questions: number; responses: number }[]>`
      SELECT (SELECT count(*)::int FROM questions WHERE dataset_id = ${dataset.id}) AS questions,
             (SELECT count(*)::int FROM responses WHERE dataset_id = ${dataset.id}) AS responses`;
    await tx.dataset.update({ where: { id: dataset.id }, data: { deletingAt: new Date() } });
    await recordAudit(tx, { actorId: input.actorId, action: "dataset.delete", entity: "dataset", entityId: dataset.id, data: { name: dataset.name, ...counts! } });
    return { id: dataset.id, name: dataset.name };
  });
}

/**
 * Removes a dataset marked for deletion, a batch of questions at a time; resolves when its row is
 * gone. `batchQuestions` is for tests.
 */
export async function runDatasetDeletion(prisma: PrismaClient, datasetId: number, options: { batchQuestions?: number } = {}): Promise<void> {
  const batch = options.batchQuestions ?? BATCH_QUESTIONS;
  for (;;) {
    const removed = await prisma.$transaction(
      async (tx) => {
        const [marked] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM datasets WHERE id = ${datasetId} AND deleting_at IS NOT NULL`;
        if (!marked) return 0;
        // Questions first, locked, so a batch run twice at once (two instances) deletes each once.
        const ids = (await tx.$queryRaw<{ id: number }[]>`
          SELECT id FROM questions WHERE dataset_id = ${datasetId} ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED`).map((q) => q.id);
        if (ids.length === 0) return 0;
        // Children of the batch's responses, set-based, so that deleting the responses finds none.
        for (const table of RESPONSE_CHILDREN) {
          await tx.$executeRawUnsafe(`DELETE FROM ${table} c USING responses r WHERE c.response_id = r.id AND r.question_id = ANY($1::int[])`, ids);
        }
        await tx.$executeRaw`DELETE FROM responses WHERE question_id = ANY(${ids}::int[])`;
        return tx.$executeRaw`DELETE FROM questions WHERE id = ANY(${ids}::int[])`;
      },
      { timeout: 120_000 },
    );
    if (removed === 0) break;
  }
  // What is left hangs on the dataset's row (runs, queues, figures, reward requests) and goes with it.
  await prisma.$executeRaw`DELETE FROM datasets WHERE id = ${datasetId} AND deleting_at IS NOT NULL`;
}

/** Starts the deletion of every dataset marked for it (at start-up: a deletion a restart stopped). */
export async function resumeDatasetDeletions(prisma: PrismaClient): Promise<number[]> {
  const marked = await prisma.dataset.findMany({ where: { deletingAt: { not: null } }, select: { id: true }, orderBy: { id: "asc" } });
  for (const { id } of marked) await runDatasetDeletion(prisma, id);
  return marked.map((d) => d.id);
}

/** Runs a marked dataset's deletion in this process without waiting for it; a failure is logged and the next start resumes it. */
export function deleteInBackground(prisma: PrismaClient, datasetId: number) {
  void runDatasetDeletion(prisma, datasetId).catch((error) =>
    console.error(`[datasets] deleting dataset ${datasetId} stopped (resumed at the next start): ${(error as Error).message}`),
  );
}
