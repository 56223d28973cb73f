// A real item for template previews and "Test judge": a given response, or one drawn from a
// dataset (a point in its id range, then the next id: index responses(dataset_id, id), no scan
// of the dataset). With a seed the draw is repeatable (a preview keeps its item while edited).
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import type { TItem } from "./runnable";

type Db = PrismaClient | Prisma.TransactionClient;

export type TSampleItem = TItem & { datasetId: number; datasetName: string };

/** A repeatable point in [0, 1) for a seed (the golden-ratio sequence). */
const seeded = (seed: number) => (seed * 0.6180339887498949 + 0.3819660112501051) % 1;

export async function sampleItem(prisma: Db, options: { responseId?: number; datasetId?: number; seed?: number }): Promise<TSampleItem> {
  let id = options.responseId;
  if (!id) {
    const datasetId = options.datasetId ?? (await prisma.dataset.findFirst({ orderBy: { id: "asc" }, select: { id: true } }))?.id;
    if (!datasetId) throw new AppError("NOT_FOUND", "there is no data yet: import a dataset first");
    const u = options.seed === undefined ? Math.random() : seeded(options.seed);
    const [row] = await prisma.$queryRaw<{ id: number }[]>`
      SELECT r.id FROM responses r
      WHERE r.dataset_id = ${datasetId}
        AND r.id >= (SELECT min(id) + floor(${u}::float8 * (max(id) - min(id) + 1))::int FROM responses WHERE dataset_id = ${datasetId})
      ORDER BY r.id LIMIT 1`;
    if (!row) throw new AppError("NOT_FOUND", "the dataset has no responses");
    id = row.id;
  }
  const r = await prisma.response.findUnique({
    where: { id },
    select: { id: true, text: true, question: { select: { text: true, reference: true, dataset: { select: { id: true, name: true } } } } },
  });
  if (!r) throw new AppError("NOT_FOUND", `response ${id} does not exist`);
  // A response asked for by id belongs to the dataset chosen beside it, if one was.
  if (options.responseId && options.datasetId !== undefined && r.question.dataset.id !== options.datasetId) {
    throw new AppError("INVALID", `response ${id} is in dataset "${r.question.dataset.name}", not the one chosen: choose that dataset, or another response`);
  }
  return { responseId: r.id, question: r.question.text, reference: r.question.reference, response: r.text, datasetId: r.question.dataset.id, datasetName: r.question.dataset.name };
}
