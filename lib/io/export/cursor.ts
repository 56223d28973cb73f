// Reading a large query inside one REPEATABLE READ, READ ONLY transaction: the export sees one
// snapshot of the database (rows judged while it runs do not half-appear). Rows come as the
// server's text output, in batches, by one of two transports: COPY TO STDOUT on a Postgres
// server (copy-out.ts), or a server-side cursor (DECLARE/FETCH) on the embedded database, which
// cannot COPY over its socket. Both give the same bytes for the same query.
import type pg from "pg";
import { connectClient, isEmbeddedVersion } from "@/lib/db/connection";
import { adoptSnapshot, EXPORT_SNAPSHOT } from "@/lib/db/shared-snapshot";
import type { Prisma } from "@/lib/db/generated/client";
import { copyRows } from "./copy-out";

/** A row as the server printed it: each field's text as UTF-8 bytes, or null. */
export type TRawRow = (Buffer | null)[];

export type TSnapshot = {
  client: pg.Client;
  canCopy: boolean;
  /**
   * Starts a small query on a second connection that reads the same snapshot (the manifest's
   * counts while the rows stream on the first), to be awaited when its rows are needed; on the
   * embedded database, which serves one transaction at a time, it runs first, on the first
   * connection. Call it before the rows stream: it first exports the snapshot on the first.
   */
  aside: <R extends pg.QueryResultRow>(query: Prisma.Sql) => Promise<{ rows: Promise<R[]> }>;
};

export async function withSnapshot<T>(databaseUrl: string, fn: (snapshot: TSnapshot) => Promise<T>): Promise<T> {
  const client = await connectClient(databaseUrl);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const [row] = (await client.query<{ version: string }>("SELECT version()")).rows;
    const canCopy = !isEmbeddedVersion(row!.version);
    let snapshotId: string | null = null;
    const aside = async <R extends pg.QueryResultRow>(query: Prisma.Sql): Promise<{ rows: Promise<R[]> }> => {
      if (!canCopy) return { rows: Promise.resolve(await queryRows<R>(client, query)) };
      // exported when first asked for: most exports need no second connection
      snapshotId ??= (await client.query<{ id: string }>(EXPORT_SNAPSHOT)).rows[0]!.id;
      const statement = adoptSnapshot(snapshotId);
      const rows = (async () => {
        const helper = await connectClient(databaseUrl);
        try {
          await helper.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
          await helper.query(statement);
          const result = await queryRows<R>(helper, query);
          await helper.query("COMMIT");
          return result;
        } finally {
          await helper.end();
        }
      })();
      rows.catch(() => {}); // awaited by the caller later; a failure meanwhile is not unhandled
      return { rows };
    };
    const result = await fn({ client, canCopy, aside });
    await client.query("COMMIT");
    return result;
  } finally {
    // On failure the read-only transaction is discarded with the connection (a ROLLBACK could
    // queue behind an interrupted COPY and never be answered).
    await client.end();
  }
}

/** The rows of `query`, in batches, by COPY when the server allows it, else through a cursor. */
export function rawRows(snapshot: Pick<TSnapshot, "client" | "canCopy">, query: Prisma.Sql): AsyncGenerator<TRawRow[]> {
  return snapshot.canCopy ? copyRows(snapshot.client, query) : cursorRows(snapshot.client, query);
}

// Every value as the text the server sent: the same text COPY prints.
const asText = { getTypeParser: () => (value: string) => value };
let cursors = 0;

async function* cursorRows(client: pg.Client, query: Prisma.Sql, page = 2000): AsyncGenerator<TRawRow[]> {
  const name = `export_cursor_${++cursors}`;
  await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${query.text}`, values: query.values as unknown[] });
  try {
    for (;;) {
      const result = await client.query<(string | null)[]>({ text: `FETCH ${page} FROM ${name}`, rowMode: "array", types: asText });
      yield result.rows.map((row) => row.map((v) => (v === null ? null : Buffer.from(v, "utf8"))));
      if (result.rows.length < page) return;
    }
  } finally {
    await client.query(`CLOSE ${name}`).catch(() => {});
  }
}

export async function queryRows<T extends pg.QueryResultRow>(client: pg.Client, query: Prisma.Sql): Promise<T[]> {
  return (await client.query<T>({ text: query.text, values: query.values as unknown[] })).rows;
}
