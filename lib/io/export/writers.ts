// File writers of exports: JSONL and CSV written as rows stream in (with backpressure), the
// sha256 computed as the bytes go out; Parquet written in the same pass, one row group of
// PARQUET_GROUP rows at a time. Output depends only on the rows: the same rows give
// byte-identical files.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { once } from "node:events";
import { fileWriter, ParquetWriter } from "hyparquet-writer";

// hyparquet-writer bundles its own hyparquet: take the schema type from the writer's signature.
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];

export type TFileInfo = { name: string; rows: number; bytes: number; sha256: string };

const NEWLINE = Buffer.from("\n");
/** Bytes gathered before one write to the file. */
const FLUSH_BYTES = 1 << 20;

export class LineFileWriter {
  private readonly stream;
  private readonly hash = createHash("sha256");
  private chunks: Buffer[] = [];
  private pending = 0;
  private bytes = 0;
  /** lines written with writeLine */
  rows = 0;

  constructor(
    private readonly path: string,
    readonly name: string,
  ) {
    this.stream = createWriteStream(path);
  }

  /** Raw text or bytes (a whole line should end in "\n"). */
  async write(data: string | Buffer) {
    const chunk = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    this.chunks.push(chunk);
    this.pending += chunk.length;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  /** One line: its bytes (in one piece or several), then "\n". */
  async writeLine(line: Buffer | Buffer[]) {
    this.rows++;
    for (const piece of Array.isArray(line) ? line : [line]) {
      this.chunks.push(piece);
      this.pending += piece.length;
    }
    this.chunks.push(NEWLINE);
    this.pending++;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  private async flush() {
    const chunk = Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<TFileInfo> {
    if (this.pending > 0) await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
    return { name: this.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}

/**
 * A CSV line as Postgres' COPY ... (FORMAT csv) prints it: fields holding a comma, quote, CR or
 * LF quoted with the quotes doubled, an empty string quoted (so it differs from null, which is
 * empty), "\n" at the end.
 */
export function csvLine(values: unknown[]): string {
  return (
    values
      .map((v) => {
        if (v === null || v === undefined) return "";
        const s = typeof v === "object" ? JSON.stringify(v) : String(v);
        return s === "" || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      })
      .join(",") + "\n"
  );
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" } as const;

/** A list of {role, content} structs: what Hugging Face `datasets` loads as a list of messages. */
export function messagesSchema(name: string): SchemaElement[] {
  return [
    { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
    { name: "role", ...STRING },
    { name: "content", ...STRING },
  ] as SchemaElement[];
}
export const stringColumn = (name: string): SchemaElement[] => [{ name, ...STRING } as SchemaElement];

/** Rows per Parquet row group: what one group's columns hold in memory while it is encoded. */
const PARQUET_GROUP = 2_000;

/** A Parquet file written row by row, one row group at a time. */
export class ParquetFileWriter {
  private readonly pq: ParquetWriter;
  private batch: unknown[][] = [];
  rows = 0;

  constructor(
    private readonly path: string,
    readonly name: string,
    private readonly columns: { name: string; schema: SchemaElement[] }[],
  ) {
    const schema: SchemaElement[] = [{ name: "root", num_children: columns.length } as SchemaElement, ...columns.flatMap((c) => c.schema)];
    // No column statistics: min/max of long texts help no reader of these files, and cost a pass.
    this.pq = new ParquetWriter({ writer: fileWriter(path), schema, statistics: false, createdBy: "rlvr-studio" });
  }

  /** One row: a value per column, in the columns' order. */
  async write(row: unknown[]) {
    this.batch.push(row);
    this.rows++;
    if (this.batch.length >= PARQUET_GROUP) await this.flush();
  }

  private async flush() {
    const columnData = this.columns.map((c, i) => ({ name: c.name, data: this.batch.map((row) => row[i]) }));
    this.batch = [];
    await this.pq.write({ columnData, rowGroupSize: columnData[0]!.data.length || 1 });
  }

  async close(): Promise<TFileInfo> {
    if (this.batch.length > 0 || this.rows === 0) await this.flush();
    await this.pq.finish();
    return { name: this.name, rows: this.rows, bytes: statSync(this.path).size, sha256: await sha256File(this.path) };
  }
}
