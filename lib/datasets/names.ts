// Dataset names are unique as written; two names that differ only in case ("NQ301", "nq301")
// would still be two datasets that imports, runs and the reward endpoint pick by name, easy to
// confuse. A new name (an import into a new dataset, a rename) that equals another dataset's but
// for case is refused, naming the one that exists.
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";

/** SQL: the name of a dataset other than `exceptId` whose name equals `name` but for case, when no dataset is named exactly `name`. */
export const caseTwinSql = (name: string, exceptId: number | null = null) => Prisma.sql`
  SELECT name FROM datasets
  WHERE lower(name) = lower(${name}) AND name <> ${name} ${exceptId === null ? Prisma.empty : Prisma.sql`AND id <> ${exceptId}`}
    AND NOT EXISTS (SELECT 1 FROM datasets WHERE name = ${name})
  LIMIT 1`;

export const caseTwinError = (asked: string, existing: string) =>
  new AppError("CONFLICT", `a dataset named "${existing}" exists: use that name, or one that differs by more than upper and lower case ("${asked}" would be a second dataset, easily taken for it)`);
