// File writers of exports: JSONL and CSV written as rows stream in (with backpressure), the
// sha256 computed as the bytes go out; Parquet written afterwards from the JSONL, one row group
// at a time. Output depends only on the rows: the same rows give byte-identical files.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { once } from "node:events";
import { fileWriter, parquetWriteRows } from "hyparquet-writer";
// hyparquet-writer bundles its own hyparquet: take the schema type from the writer's signature.
type SchemaElement = NonNullable<Parameters<typeof parquetWriteRows>[0]["schema"]>[number];
import { readJsonLines } from "../text-lines";

export type TFileInfo = { name: string; rows: number; bytes: number; sha256: string };

export class LineFileWriter {
  private readonly stream;
  private readonly hash = createHash("sha256");
  private bytes = 0;
  rows = 0;

  constructor(
    private readonly path: string,
    readonly name: string,
  ) {
    this.stream = createWriteStream(path);
  }

  async write(line: string) {
    const chunk = Buffer.from(line, "utf8");
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.rows++;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<TFileInfo> {
    this.stream.end();
    await once(this.stream, "finish");
    return { name: this.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}

/** RFC 4180: quote fields holding a comma, quote, CR or LF; double the quotes. */
export function csvLine(values: unknown[]): string {
  return (
    values
      .map((v) => {
        if (v === null || v === undefined) return "";
        const s = typeof v === "object" ? JSON.stringify(v) : String(v);
        return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      })
      .join(",") + "\r\n"
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

/** Writes the rows of a JSONL file as Parquet with the given columns, streaming. */
export async function jsonlToParquet(jsonlPath: string, parquetPath: string, name: string, columns: { name: string; schema: SchemaElement[] }[]): Promise<TFileInfo> {
  let rows = 0;
  async function* records() {
    for await (const item of readJsonLines(createReadStream(jsonlPath))) {
      if (!("record" in item)) throw new Error(`export: bad line ${item.line} in ${jsonlPath}`);
      rows++;
      yield item.record;
    }
  }
  const schema: SchemaElement[] = [{ name: "root", num_children: columns.length } as SchemaElement, ...columns.flatMap((c) => c.schema)];
  await parquetWriteRows({
    writer: fileWriter(parquetPath),
    rows: records(),
    columns: columns.map((c) => ({ name: c.name })),
    schema,
    rowGroupSize: 10_000,
    createdBy: "rlvr-studio",
  });
  return { name, rows, bytes: statSync(parquetPath).size, sha256: await sha256File(parquetPath) };
}
