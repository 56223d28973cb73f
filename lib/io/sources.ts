// Reading any supported file as a stream of records with their position, for every importer:
// JSONL (line numbers), CSV/TSV (line numbers, quoted newlines, BOM, CRLF), a JSON array (record
// numbers) and Parquet (row numbers), each optionally gzipped (except Parquet). Memory stays
// flat whatever the file size: JSONL and CSV go line by line, JSON arrays through stream-json,
// Parquet one row group at a time.
import { createReadStream } from "node:fs";
import { Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import chain from "stream-chain";
import { parser } from "stream-json";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { AppError } from "@/lib/errors";
import { readDelimited, readJsonLines } from "./text-lines";

export const FORMATS = ["jsonl", "json", "csv", "tsv", "parquet"] as const;
export type TFormat = (typeof FORMATS)[number];
export type TRecord = Record<string, unknown>;
export type TSourceItem = { line: number; record: TRecord } | { line: number; error: string };
export type TSource = { format: TFormat; gzip: boolean };

/** What a file's name says it holds; null when the name does not tell. */
export function formatFromName(name: string): TSource | null {
  let lower = name.toLowerCase();
  const gzip = lower.endsWith(".gz");
  if (gzip) lower = lower.slice(0, -3);
  const dot = lower.lastIndexOf(".");
  if (dot < 0) return null;
  const ext = lower.slice(dot + 1);
  const byExt: Record<string, TFormat> = { jsonl: "jsonl", ndjson: "jsonl", json: "json", csv: "csv", tsv: "tsv", tab: "tsv", parquet: "parquet" };
  const format = byExt[ext];
  return format ? { format, gzip } : null;
}

/** What the first bytes of a file look like. */
export type TSniff = "parquet" | "gzip" | "zip" | "json" | "jsonl" | "csv" | "tsv" | "utf16" | "binary" | "empty";

export function sniffBytes(head: Uint8Array): TSniff {
  const b = Buffer.from(head);
  if (b.length === 0) return "empty";
  if (b.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
  if (b[0] === 0x1f && b[1] === 0x8b) return "gzip";
  if (b.subarray(0, 4).toString("latin1") === "PK\u0003\u0004") return "zip";
  // UTF-16 (what Excel's "Unicode text" writes): its byte-order mark, or ASCII with every other byte 0.
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || looksUtf16(b)) return "utf16";
  if (b.includes(0)) return "binary";
  const text = b.toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (text === "") return "empty";
  if (text.startsWith("[")) return "json";
  if (text.startsWith("{")) return "jsonl";
  const header = text.split(/\r?\n/, 1)[0]!;
  return header.split("\t").length > header.split(",").length ? "tsv" : "csv";
}

function looksUtf16(b: Buffer): boolean {
  const n = Math.min(b.length, 64) & ~1;
  if (n < 4) return false;
  let zerosEven = 0;
  let zerosOdd = 0;
  for (let i = 0; i < n; i++) {
    if (b[i] !== 0) continue;
    if (i % 2 === 0) zerosEven++;
    else zerosOdd++;
  }
  return zerosOdd === n / 2 || zerosEven === n / 2;
}

async function readHead(path: string, gzip: boolean, bytes = 8192): Promise<Uint8Array> {
  const stream: Readable = gzip ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { end: bytes - 1 });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= bytes) break;
    }
  } catch (error) {
    throw new AppError("INVALID", `cannot read the file as gzip: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

const LABEL: Record<TSniff, string> = {
  parquet: "a Parquet file", gzip: "gzip-compressed", zip: "a zip archive", json: "a JSON array", jsonl: "JSON lines",
  csv: "CSV", tsv: "TSV", utf16: "UTF-16 text", binary: "a binary file", empty: "empty",
};

/**
 * The format to read `path` with: the one asked for, else the name's, checked against the
 * content. A file that is not what its name says is refused with a message saying what it is,
 * except the harmless mix-ups (JSON lines named .json, TSV named .csv), which are read as what
 * they are.
 */
export async function detectSource(path: string, fileName: string, asked?: TFormat): Promise<TSource> {
  const named = formatFromName(fileName);
  const gzip = named?.gzip ?? false;
  const head = await readHead(path, gzip && named?.format !== "parquet");
  const seen = sniffBytes(head);
  if (seen === "zip") throw new AppError("INVALID", `${fileName} is a zip archive: unzip it and import the file inside`);
  if (seen === "gzip") throw new AppError("INVALID", `${fileName} is gzip-compressed: name it *.gz (e.g. data.jsonl.gz)`);
  if (seen === "utf16") {
    throw new AppError("INVALID", `${fileName} is UTF-16 text (as Excel's "Unicode text" saves it): save it as UTF-8 ("CSV UTF-8" in Excel) and import that`);
  }
  const format = asked ?? named?.format ?? (seen === "binary" || seen === "empty" ? null : seen);
  if (!format) {
    throw new AppError("INVALID", `cannot tell the format of ${fileName}: name it .jsonl, .json, .csv, .tsv or .parquet, or choose the format`);
  }
  if (seen === "empty") return { format, gzip };
  if (format === "parquet") {
    if (seen !== "parquet") throw new AppError("INVALID", `${fileName} is not a Parquet file (it looks like ${LABEL[seen]})`);
    return { format, gzip: false };
  }
  if (seen === "parquet" || seen === "binary") throw new AppError("INVALID", `${fileName} is ${LABEL[seen]}, not ${format.toUpperCase()}`);
  if (format === "json" || format === "jsonl") {
    if (seen === "json" || seen === "jsonl") return { format: seen, gzip };
    throw new AppError("INVALID", `${fileName} does not look like JSON (it looks like ${LABEL[seen]}): choose the CSV or TSV format`);
  }
  if (seen === "json" || seen === "jsonl") throw new AppError("INVALID", `${fileName} looks like ${LABEL[seen]}, not ${format.toUpperCase()}`);
  return { format: seen === "tsv" || seen === "csv" ? seen : format, gzip };
}

/** Counts the bytes that pass, for progress and ETA (the file's bytes, before gunzip). */
function byteCounter(onBytes: (n: number) => void) {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

export type TReadOptions = { onBytes?: (n: number) => void; limit?: number };

/** Streams the records of a file. Lines that cannot be read become `{line, error}` items. */
export async function* readRecords(path: string, source: TSource, options: TReadOptions = {}): AsyncGenerator<TSourceItem> {
  const limit = options.limit ?? Infinity;
  let count = 0;
  if (source.format === "parquet") {
    for await (const item of readParquet(path, options.onBytes)) {
      yield item;
      if (++count >= limit) return;
    }
    return;
  }
  const file = createReadStream(path);
  let stream: Readable = file.pipe(byteCounter(options.onBytes ?? (() => {})));
  if (source.gzip) stream = stream.pipe(createGunzip());
  const items =
    source.format === "jsonl" ? readJsonLines(stream)
    : source.format === "json" ? readJsonArray(stream)
    : readDelimited(stream, source.format === "tsv" ? "\t" : ",");
  try {
    for await (const item of items) {
      yield item;
      if (++count >= limit) return;
    }
  } finally {
    file.destroy();
  }
}

async function* readJsonArray(stream: Readable): AsyncGenerator<TSourceItem> {
  const pipeline = chain([stream, parser(), streamArray()]);
  let index = 0;
  try {
    for await (const { value } of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      index++;
      if (value === null || typeof value !== "object" || Array.isArray(value)) yield { line: index, error: "an element must be one JSON object" };
      else yield { line: index, record: value as TRecord };
    }
  } catch (error) {
    // One JSON document: after a syntax error nothing further can be trusted.
    throw new AppError("INVALID", `invalid JSON after record ${index}: ${(error as Error).message}`);
  }
}

async function* readParquet(path: string, onBytes?: (n: number) => void): AsyncGenerator<TSourceItem> {
  const file = await asyncBufferFromFile(path);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new AppError("INVALID", `not a readable Parquet file: ${(error as Error).message}`);
  }
  let rowStart = 0;
  let counted = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    // One row group at a time: memory is bounded by the writer's row-group size.
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    for (let i = 0; i < rows.length; i++) yield { line: rowStart + i + 1, record: plain(rows[i]) as TRecord };
    // Progress in the file's bytes: the group's column chunks as stored (compressed), not its
    // uncompressed size, which had counted past the file's end.
    const stored = group.columns.reduce((n, c) => n + Number(c.meta_data?.total_compressed_size ?? 0), 0);
    const step = Math.min(stored, file.byteLength - counted);
    counted += step;
    onBytes?.(step);
    rowStart = rowEnd;
  }
  // The rest: the header and the footer with the metadata.
  if (file.byteLength > counted) onBytes?.(file.byteLength - counted);
}

/** Parquet INT64 arrives as BigInt: numbers are what every other format gives. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
