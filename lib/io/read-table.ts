// Reading tabular files as a stream of records with their line numbers, for every importer.
// CSV/TSV go through csv-parse (quoted fields, quoted newlines, BOM, CRLF); JSONL is read line
// by line. Memory stays flat whatever the file size.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";

export type TFormat = "csv" | "tsv" | "jsonl";
export type TRecord = Record<string, unknown>;
export type TLine = { line: number; record: TRecord } | { line: number; error: string };

export function formatFromName(name: string): TFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(".tsv") || lower.endsWith(".tab")) return "tsv";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return null;
}

export async function* readTable(input: string | Readable, format: TFormat): AsyncGenerator<TLine> {
  const stream = typeof input === "string" ? createReadStream(input) : input;
  if (format === "jsonl") yield* readJsonl(stream);
  else yield* readDelimited(stream, format === "tsv" ? "\t" : ",");
}

// csv-parse counts a CRLF inside a quoted field as two lines (one for CR, one for LF).
const crlfs = (value: unknown) => (typeof value === "string" ? value.split("\r\n").length - 1 : 0);

async function* readDelimited(stream: Readable, delimiter: string): AsyncGenerator<TLine> {
  // CRLFs seen so far inside quoted fields: what info.lines over-counts by.
  let extra = 0;
  const parser = stream.pipe(
    parse({
      delimiter,
      columns: (header: string[]) => {
        for (const h of header) extra += crlfs(h);
        return header.map((h) => h.trim());
      },
      bom: true,
      info: true,
      relax_quotes: true,
      // A row with too few or too many fields is one bad line, reported like any other.
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  type Row = { record: TRecord; info: { lines: number; columns?: unknown[]; error?: { record?: unknown[] } } };
  for await (const row of parser as AsyncIterable<Row>) {
    for (const value of Object.values(row.record)) extra += crlfs(value);
    const line = row.info.lines - extra;
    if (row.info.error) {
      const expected = row.info.columns?.length ?? 0;
      yield { line, error: `expected ${expected} fields, found ${row.info.error.record?.length ?? "a different number of"}` };
    } else yield { line, record: row.record };
  }
}

async function* readJsonl(stream: Readable): AsyncGenerator<TLine> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (text.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        yield { line, error: "a line must hold one JSON object" };
      } else {
        yield { line, record: value as TRecord };
      }
    } catch (error) {
      yield { line, error: `invalid JSON: ${(error as Error).message}` };
    }
  }
}
