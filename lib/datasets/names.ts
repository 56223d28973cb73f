// Dataset names are unique as written; two names that differ only in case ("NQ301", "nq301")
// would still be two datasets that imports, runs and the reward endpoint pick by name, easy to
// confuse. A new name (an import into a new dataset, a rename) that equals another dataset's but
// for case is refused, naming the one that exists. The check reads before it writes; what keeps two
// transactions from each finding no twin and each creating one ("NQ" by an import, "nq" by the
// reward endpoint at the same moment) is a lock on the lowered name, taken before the check and
// before any row lock (so that no two writers wait on each other in opposite orders), and held to
// the end of the transaction. A unique index on lower(name) would do the same, but could not be
// built on a database that already holds such twins from before the check.
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import type { TSql } from "@/lib/db/sql";

/** SQL: the name of a dataset other than `exceptId` whose name equals `name` but for case, when no dataset is named exactly `name`. */
export const caseTwinSql = (name: string, exceptId: number | null = null) => Prisma.sql`
  SELECT name FROM datasets
  WHERE lower(name) = lower(${name}) AND name <> ${name} ${exceptId === null ? Prisma.empty : Prisma.sql`AND id <> ${exceptId}`}
    AND NOT EXISTS (SELECT 1 FROM datasets WHERE name = ${name})
  LIMIT 1`;

export const caseTwinError = (asked: string, existing: string) =>
  new AppError("CONFLICT", `a dataset named "${existing}" exists: use that name, or one that differs by more than upper and lower case ("${asked}" would be a second dataset, easily taken for it)`);

/**
 * SQL: wait for, and hold to the end of the transaction, the lock on `name` as lowered. Every
 * writer that may make a dataset of that name (or rename one to it) takes it before its twin check.
 */
export const lockNameSql = (name: string) => Prisma.sql`SELECT pg_advisory_xact_lock(hashtext(${"dataset-name:"} || lower(${name})))::text`;

/**
 * Before a write into the dataset named `name`, made if new: the name's lock and the twin check,
 * only when no dataset has exactly that name. A dataset of that name has no twin to fear (the
 * check passes it), so the lock would only make every import or reward batch into it wait for the
 * others' whole transactions.
 */
export async function checkNewName(sql: TSql, name: string) {
  if ((await sql.query(Prisma.sql`SELECT 1 AS found FROM datasets WHERE name = ${name}`)).length > 0) return;
  await sql.query(lockNameSql(name));
  const [twin] = await sql.query<{ name: string }>(caseTwinSql(name));
  if (twin) throw caseTwinError(name, twin.name);
}
