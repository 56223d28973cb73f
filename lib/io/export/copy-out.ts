// COPY (query) TO STDOUT on a Postgres server: the server formats the rows and streams them, far
// faster than fetching them as result rows. Binary format is read here (a field is its length and
// bytes, so nothing needs unescaping); CSV is written to a file as it comes.
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Prisma } from "@/lib/db/generated/client";
import type { TRawRow } from "./cursor";

/**
 * COPY takes no bind parameters, so the query's parameters are written into it as literals. The
 * values are the export's validated options (integers, booleans, the seed's prefix, judge template
 * versions); strings go through pg's escapeLiteral, anything else is refused.
 */
export function inlineSql(client: pg.Client, query: Prisma.Sql): string {
  const literal = (value: unknown): string => {
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "string") return client.escapeLiteral(value);
    if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(", ")}]`;
    throw new Error(`export: cannot inline a ${typeof value} into COPY`);
  };
  return query.text.replace(/\$(\d+)/g, (_, i: string) => literal(query.values[Number(i) - 1]));
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/** The rows of `query` through COPY ... (FORMAT binary), one batch per chunk received. */
export async function* copyRows(client: pg.Client, query: Prisma.Sql): AsyncGenerator<TRawRow[]> {
  const stream = client.query(copyTo(`COPY (${inlineSql(client, query)}) TO STDOUT WITH (FORMAT binary)`));
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // bytes needed before the next row can be complete (a long field spans many chunks)
  let need = SIGNATURE.length + 8;
  let started = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < need) continue;
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    let pos = 0;
    if (!started) {
      if (!data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error("export: not a binary COPY stream");
      pos = SIGNATURE.length + 8 + data.readInt32BE(SIGNATURE.length + 4);
      started = true;
    }
    const rows: TRawRow[] = [];
    need = 0;
    for (;;) {
      if (data.length - pos < 2) {
        need = pos + 2;
        break;
      }
      const count = data.readInt16BE(pos);
      if (count === -1) {
        pos += 2;
        break;
      }
      let p = pos + 2;
      const row: TRawRow = new Array<Buffer | null>(count);
      for (let i = 0; i < count; i++) {
        if (data.length - p < 4) {
          need = p + 4;
          break;
        }
        const length = data.readInt32BE(p);
        p += 4;
        if (length === -1) {
          row[i] = null;
          continue;
        }
        if (data.length - p < length) {
          need = p + length;
          break;
        }
        row[i] = data.subarray(p, p + length);
        p += length;
      }
      if (need) break;
      rows.push(row);
      pos = p;
    }
    need = Math.max(need - pos, 1);
    const rest = data.subarray(pos);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    if (rows.length) yield rows;
  }
}

/** COPY (query) TO STDOUT WITH (FORMAT csv, HEADER): the server's CSV, chunk by chunk. */
export function copyCsv(client: pg.Client, query: Prisma.Sql): AsyncIterable<Buffer> {
  return client.query(copyTo(`COPY (${inlineSql(client, query)}) TO STDOUT WITH (FORMAT csv, HEADER)`)) as AsyncIterable<Buffer>;
}
