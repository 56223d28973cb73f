// Reading a JSONL, CSV or TSV file (or stream) as records with their line numbers: the small
// entry point the demo loader uses. Every other importer goes through sources.ts, which adds
// JSON arrays, Parquet, gzip and format detection on top of the same line readers.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type { TRecord, TSourceItem } from "./sources";
import { readDelimited, readJsonLines } from "./text-lines";

export type TFormat = "csv" | "tsv" | "jsonl";
export type { TRecord };
export type TLine = TSourceItem;

export async function* readTable(input: string | Readable, format: TFormat): AsyncGenerator<TLine> {
  const stream = typeof input === "string" ? createReadStream(input) : input;
  if (format === "jsonl") yield* readJsonLines(stream);
  else yield* readDelimited(stream, format === "tsv" ? "\t" : ",");
}
