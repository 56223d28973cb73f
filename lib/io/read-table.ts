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

async function* readDelimited(stream: Readable, delimiter: string): AsyncGenerator<TLine> {
  const parser = stream.pipe(
    parse({
      delimiter,
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      info: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }),
  );
  for await (const row of parser as AsyncIterable<{ record: TRecord; info: { lines: number } }>) {
    yield { line: row.info.lines, record: row.record };
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
