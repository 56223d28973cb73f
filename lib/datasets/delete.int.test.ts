// Deleting a dataset against a real database: everything of it goes (questions, responses,
// judgments, labels and their history, adjudications, review queues, runs, figures), nothing of
// another dataset does, the records of its imports and exports stay; the checks before it (name,
// work under way), the work refused meanwhile, and a deletion stopped half-way that goes on.
import pg from "pg";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { buildFixture, type TFixture } from "@/tests/analytics-fixture";
import { resetDb, testDb } from "@/tests/db";
import { createRuns } from "@/lib/runs/create-run";
import { createExport } from "@/lib/io/export/run";
import { getExport } from "@/lib/io/queries";
import { createImportJob } from "@/lib/io/import-job";
import { setExpertLabel } from "@/lib/labels/set-label";
import { controlRun } from "@/lib/runs/control";
import { resumeDatasetDeletions, runDatasetDeletion, startDatasetDeletion } from "./delete";

const prisma = testDb();
let fx: TFixture;

/** Every row that belongs to a dataset, counted per table. */
async function footprint(datasetId: number) {
  const [row] = await prisma.$queryRaw<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM questions WHERE dataset_id = ${datasetId}) AS questions,
      (SELECT count(*)::int FROM responses WHERE dataset_id = ${datasetId}) AS responses,
      (SELECT count(*)::int FROM judgments j JOIN responses r ON r.id = j.response_id WHERE r.dataset_id = ${datasetId}) AS judgments,
      (SELECT count(*)::int FROM expert_labels l JOIN responses r ON r.id = l.response_id WHERE r.dataset_id = ${datasetId}) AS labels,
      (SELECT count(*)::int FROM expert_label_history h JOIN responses r ON r.id = h.response_id WHERE r.dataset_id = ${datasetId}) AS history,
      (SELECT count(*)::int FROM adjudications a JOIN responses r ON r.id = a.response_id WHERE r.dataset_id = ${datasetId}) AS adjudications,
      (SELECT count(*)::int FROM review_items i JOIN responses r ON r.id = i.response_id WHERE r.dataset_id = ${datasetId}) AS review_items,
      (SELECT count(*)::int FROM review_queues WHERE dataset_id = ${datasetId}) AS queues,
      (SELECT count(*)::int FROM judge_runs WHERE dataset_id = ${datasetId}) AS runs,
      (SELECT count(*)::int FROM analytics_snapshots WHERE dataset_id = ${datasetId}) AS snapshots,
      (SELECT count(*)::int FROM datasets WHERE id = ${datasetId}) AS datasets`;
  return row!;
}

/** Gives a dataset what the fixture lacks: a changed label (history), an adjudication, a review queue, a figure, an import and an export. */
async function furnish(datasetId: number, userId: string) {
  const [first, second] = await prisma.response.findMany({ where: { datasetId }, orderBy: { id: "asc" }, take: 2, select: { id: true } });
  await setExpertLabel(prisma, { id: userId }, { responseId: first!.id, value: "correct", note: "checked", expectedVersion: null });
  await prisma.adjudication.create({ data: { responseId: second!.id, value: "incorrect" } });
  const queue = await prisma.reviewQueue.create({ data: { datasetId, name: `queue ${datasetId}` } });
  await prisma.reviewItem.create({ data: { queueId: queue.id, responseId: first!.id, position: 0 } });
  await prisma.analyticsSnapshot.create({ data: { datasetId, key: "test", version: "1", payload: {}, computedMs: 1 } });
  const dataset = await prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  await prisma.importJob.create({ data: { datasetName: dataset.name, datasetId, fileName: "f.jsonl", filePath: "/nowhere", format: "jsonl", kind: "items", source: "cli", status: "completed" } });
  await prisma.export.create({ data: { kind: "flat", datasetId, source: "cli", status: "completed", manifest: { dataset: { id: datasetId, name: dataset.name } } } });
}

beforeEach(async () => {
  await resetDb();
  fx = await buildFixture(prisma);
  // The fixture's runs stand for finished imports of judgments.
  await prisma.judgeRun.updateMany({ data: { status: "completed" } });
  await prisma.user.create({ data: { id: "admin", name: "Admin", email: "admin@example.test", role: "admin" } });
  await furnish(fx.datasetId, "admin");
  await furnish(fx.otherDatasetId, "admin");
});

describe("deleting a dataset", () => {
  it("removes everything of it in batches, nothing of another, and keeps its imports' and exports' records", async () => {
    const before = await footprint(fx.datasetId);
    for (const n of Object.values(before)) expect(n).toBeGreaterThan(0);
    const other = await footprint(fx.otherDatasetId);
    const name = (await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).name;

    await expect(startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: "analytic", actorId: "admin" })).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining(`"${name}"`) });
    expect((await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).deletingAt).toBeNull();

    await startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "dataset.delete" } });
    expect(audit).toMatchObject({ actorId: "admin", entityId: String(fx.datasetId), data: { name, questions: before.questions, responses: before.responses } });
    await expect(startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" })).rejects.toMatchObject({ code: "CONFLICT" });

    // Batches of 7 questions: several transactions, the last one short.
    await runDatasetDeletion(prisma, fx.datasetId, { batchQuestions: 7 });
    for (const [table, n] of Object.entries(await footprint(fx.datasetId))) expect(n, table).toBe(0);
    expect(await footprint(fx.otherDatasetId)).toEqual(other);
    const imports = await prisma.importJob.findMany({ where: { datasetName: name } });
    expect(imports.map((j) => j.datasetId)).toEqual([null]);
    expect(await prisma.export.count({ where: { datasetId: null } })).toBe(1);
    // The export's pages still name the dataset (from the manifest), as deleted.
    const kept = await prisma.export.findFirstOrThrow({ where: { datasetId: null } });
    expect(await getExport(kept.id)).toMatchObject({ datasetName: name, datasetDeleted: true });
  });

  it("is refused while an import, a judge run or an export works on the dataset", async () => {
    const name = (await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).name;
    const run = await prisma.judgeRun.create({ data: { judgeId: fx.judges[0]!.id, datasetId: fx.datasetId, source: "ui", status: "running" } });
    await expect(startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `judge run #${run.id} is still working on dataset "${name}": let it finish, or cancel it, first`,
    });
    await prisma.judgeRun.update({ where: { id: run.id }, data: { status: "cancelled" } });
    const job = await prisma.importJob.create({ data: { datasetName: name, fileName: "f.jsonl", filePath: "/nowhere", format: "jsonl", kind: "items", source: "cli", status: "queued" } });
    await expect(startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" })).rejects.toMatchObject({ message: expect.stringContaining(`import #${job.id}`) });
    await prisma.importJob.update({ where: { id: job.id }, data: { status: "failed" } });
    const exp = await prisma.export.create({ data: { kind: "flat", datasetId: fx.datasetId, source: "cli", status: "running" } });
    await expect(startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" })).rejects.toMatchObject({ message: expect.stringContaining(`export #${exp.id}`) });
    await prisma.export.update({ where: { id: exp.id }, data: { status: "completed" } });
    await startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" });
    expect((await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).deletingAt).not.toBeNull();
  });

  it("refuses new work on a dataset being deleted", async () => {
    const name = (await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).name;
    // A paused run does not hold a deletion back, and cannot be resumed once it started.
    const paused = await prisma.judgeRun.create({ data: { judgeId: fx.judges[0]!.id, datasetId: fx.datasetId, source: "ui", status: "paused" } });
    await startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" });
    const refused = { code: "CONFLICT", message: `dataset "${name}" is being deleted` };
    await expect(controlRun(prisma, paused.id, "resume", "admin")).rejects.toMatchObject(refused);
    expect((await prisma.judgeRun.findUniqueOrThrow({ where: { id: paused.id } })).status).toBe("paused");
    await expect(createRuns(prisma, { datasetId: fx.datasetId, judgeIds: [fx.judges[0]!.id], source: "cli" }, "admin")).rejects.toMatchObject(refused);
    await expect(createExport(prisma, { options: { kind: "flat", datasetId: fx.datasetId, format: "csv" }, actorId: "admin", source: "cli" })).rejects.toMatchObject(refused);
    await expect(
      createImportJob(prisma, { dataset: name, kind: "items", fileName: "f.jsonl", filePath: import.meta.filename, mapping: {}, strict: false, source: "cli", actorId: "admin" } as never),
    ).rejects.toMatchObject(refused);
  });

  // Two sessions at once: the embedded database serves one.
  it.skipIf(inject("embeddedDatabase"))("waits for a run being created on the dataset in another transaction, then refuses", async () => {
    const name = (await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).name;
    const other = new pg.Client({ connectionString: inject("databaseUrl") });
    await other.connect();
    try {
      // What createRuns does: the dataset's row shared-locked (lockLiveDataset), the run inserted.
      await other.query("BEGIN");
      await other.query("SELECT 1 FROM datasets WHERE id = $1 FOR SHARE", [fx.datasetId]);
      const { rows } = await other.query<{ id: number }>("INSERT INTO judge_runs (judge_id, dataset_id, source) VALUES ($1, $2, 'ui') RETURNING id", [fx.judges[0]!.id, fx.datasetId]);
      const deleting = startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" });
      await new Promise((r) => setTimeout(r, 300));
      await other.query("COMMIT");
      await expect(deleting).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining(`judge run #${rows[0]!.id}`) });
      expect((await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).deletingAt).toBeNull();
    } finally {
      await other.end();
    }
  });

  it("goes on after a stop half-way: what a batch removed stays removed, the rest goes at the next start", async () => {
    const name = (await prisma.dataset.findUniqueOrThrow({ where: { id: fx.datasetId } })).name;
    const other = await footprint(fx.otherDatasetId);
    const questions = (await footprint(fx.datasetId)).questions!;
    await startDatasetDeletion(prisma, { datasetId: fx.datasetId, confirmName: name, actorId: "admin" });
    // One batch by hand, as a process stopped after its first commit would leave it.
    await prisma.$executeRawUnsafe(
      `WITH b AS (SELECT id FROM questions WHERE dataset_id = $1 ORDER BY id LIMIT 5),
       r AS (SELECT id FROM responses WHERE question_id IN (SELECT id FROM b)),
       h AS (DELETE FROM expert_label_history WHERE response_id IN (SELECT id FROM r)),
       l AS (DELETE FROM expert_labels WHERE response_id IN (SELECT id FROM r)),
       a AS (DELETE FROM adjudications WHERE response_id IN (SELECT id FROM r)),
       i AS (DELETE FROM review_items WHERE response_id IN (SELECT id FROM r)),
       j AS (DELETE FROM judgments WHERE response_id IN (SELECT id FROM r))
       SELECT 1`,
      fx.datasetId,
    );
    await prisma.$executeRawUnsafe(`DELETE FROM responses WHERE question_id IN (SELECT id FROM questions WHERE dataset_id = $1 ORDER BY id LIMIT 5)`, fx.datasetId);
    await prisma.$executeRawUnsafe(`DELETE FROM questions WHERE id IN (SELECT id FROM questions WHERE dataset_id = $1 ORDER BY id LIMIT 5)`, fx.datasetId);
    expect((await footprint(fx.datasetId)).questions).toBe(questions - 5);

    expect(await resumeDatasetDeletions(prisma)).toEqual([fx.datasetId]);
    for (const [table, n] of Object.entries(await footprint(fx.datasetId))) expect(n, table).toBe(0);
    expect(await footprint(fx.otherDatasetId)).toEqual(other);
    expect(await resumeDatasetDeletions(prisma)).toEqual([]);
  });
});
