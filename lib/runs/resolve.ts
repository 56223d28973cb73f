// Naming a dataset or a judge by id or by name (the CLI and the API accept both).
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { isRowId, rowIdOf } from "@/lib/db/values";
import { assertNotArchived } from "@/lib/judges/archive";

type Db = PrismaClient | Prisma.TransactionClient;
// Digits name an id as well as a name; an id beyond an integer column's range names no row (id 0,
// which no row has), as the database would refuse to compare it.
const byIdOrName = (ref: string | number) => {
  if (typeof ref === "number") return { id: isRowId(ref) ? ref : 0 };
  const id = rowIdOf(ref);
  return id === null ? { name: ref } : { OR: [{ id }, { name: ref }] };
};

export async function findDataset(prisma: Db, ref: string | number) {
  const dataset = await prisma.dataset.findFirst({ where: byIdOrName(ref), select: { id: true, name: true } });
  if (!dataset) throw new AppError("NOT_FOUND", `no dataset "${ref}"`);
  return dataset;
}

/** A judge to use (run, ask for rewards): an archived one is refused, saying so. */
export async function findJudge(prisma: Db, ref: string | number) {
  const judge = await prisma.judge.findFirst({ where: byIdOrName(ref), select: { id: true, name: true, archivedAt: true } });
  if (!judge) {
    const names = (await prisma.judge.findMany({ where: { archivedAt: null }, select: { name: true }, orderBy: { name: "asc" } })).map((j) => j.name);
    throw new AppError("NOT_FOUND", `no judge "${ref}" (judges: ${names.join(", ") || "none yet; add one on the Judges page"})`);
  }
  assertNotArchived(judge);
  return { id: judge.id, name: judge.name };
}
