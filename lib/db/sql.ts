// Where the importers' SQL runs: a Prisma transaction (the demo loader, small imports) or a plain
// `pg` client holding the import job's transaction. Large imports use `pg` directly: it passes
// big array parameters about twice as fast as the Prisma adapter, and it can COPY. Statements are
// always Prisma.sql templates (parameters, never string-built SQL).
import type pg from "pg";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";

export type TSql = {
  query<T = unknown>(sql: Prisma.Sql): Promise<T[]>;
  /** the pg client, when there is one (COPY needs it) */
  client?: pg.Client;
};

export function prismaSql(db: PrismaClient | Prisma.TransactionClient): TSql {
  return { query: <T>(sql: Prisma.Sql) => db.$queryRaw<T[]>(sql) };
}

export function pgSql(client: pg.Client): TSql {
  return {
    client,
    query: async <T>(sql: Prisma.Sql) => (await client.query({ text: sql.text, values: sql.values as unknown[] })).rows as T[],
  };
}

export const isSql = (value: unknown): value is TSql => typeof value === "object" && value !== null && "query" in value && !("$queryRaw" in value);
