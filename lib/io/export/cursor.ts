// Reading a large query in pages through a server-side cursor, inside one REPEATABLE READ,
// READ ONLY transaction: the export sees one snapshot of the database (rows judged while it runs
// do not half-appear), and memory holds one page. Plain DECLARE/FETCH, which works on a Postgres
// server and on the embedded database alike. Queries are built with Prisma.sql (parameters,
// never string-built SQL) and run on a `pg` client for speed (rows as arrays).
import pg from "pg";
import type { Prisma } from "@/lib/db/generated/client";

export async function withSnapshot<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

let cursors = 0;

export async function* cursorRows<T extends unknown[]>(client: pg.Client, query: Prisma.Sql, page = 2000): AsyncGenerator<T> {
  const name = `export_cursor_${++cursors}`;
  await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${query.text}`, values: query.values as unknown[] });
  try {
    for (;;) {
      const result = await client.query<T>({ text: `FETCH ${page} FROM ${name}`, rowMode: "array" });
      for (const row of result.rows) yield row;
      if (result.rows.length < page) return;
    }
  } finally {
    await client.query(`CLOSE ${name}`).catch(() => {});
  }
}

export async function queryRows<T extends pg.QueryResultRow>(client: pg.Client, query: Prisma.Sql): Promise<T[]> {
  return (await client.query<T>({ text: query.text, values: query.values as unknown[] })).rows;
}
