// Line-oriented text formats. Lines are split on bytes, so a line that is not valid UTF-8 is
// reported by its number instead of being silently decoded with replacement characters.
import { isUtf8 } from "node:buffer";
import { Transform, type Readable } from "node:stream";
import { parse } from "csv-parse";
import type { TRecord, TSourceItem } from "./sources";

const NEWLINE = 0x0a;

/** Splits a byte stream into lines (without "\n" or a trailing "\r"), with `last` = no newline after it. */
async function* byteLines(stream: Readable): AsyncGenerator<{ bytes: Buffer; last: boolean }> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let i = data.indexOf(NEWLINE, start); i !== -1; i = data.indexOf(NEWLINE, start)) {
      const end = i > start && data[i - 1] === 0x0d ? i - 1 : i;
      yield { bytes: data.subarray(start, end), last: false };
      start = i + 1;
    }
    data = data.subarray(start);
    carry = Buffer.from(data);
  }
  if (carry.length > 0) yield { bytes: carry[carry.length - 1] === 0x0d ? carry.subarray(0, -1) : carry, last: true };
}

export async function* readJsonLines(stream: Readable): AsyncGenerator<TSourceItem> {
  let line = 0;
  for await (const { bytes, last } of byteLines(stream)) {
    line++;
    if (!isUtf8(bytes)) {
      yield { line, error: "not valid UTF-8 text" };
      continue;
    }
    let text = bytes.toString("utf8");
    if (line === 1) text = text.replace(/^\uFEFF/, "");
    if (text.trim() === "") continue;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== "object" || Array.isArray(value)) yield { line, error: "a line must hold one JSON object" };
      else yield { line, record: value as TRecord };
    } catch (error) {
      const hint = last ? " (the last line has no newline: is the file truncated?)" : "";
      yield { line, error: `invalid JSON: ${(error as Error).message}${hint}` };
    }
  }
}

/** Passes bytes through unchanged, noting the numbers of physical lines that are not UTF-8. */
function utf8LineChecker(badLines: Set<number>) {
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  const check = (bytes: Buffer) => {
    if (!isUtf8(bytes)) badLines.add(line);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let i = data.indexOf(NEWLINE); i !== -1; i = data.indexOf(NEWLINE, start)) {
        check(data.subarray(start, i));
        line++;
        start = i + 1;
      }
      carry = Buffer.from(data.subarray(start));
      done(null, chunk);
    },
    flush(done) {
      if (carry.length > 0) check(carry);
      done();
    },
  });
}

// csv-parse counts a CRLF inside a quoted field as two lines (one for CR, one for LF).
const crlfs = (value: unknown) => (typeof value === "string" ? value.split("\r\n").length - 1 : 0);

export async function* readDelimited(stream: Readable, delimiter: string): AsyncGenerator<TSourceItem> {
  const badLines = new Set<number>();
  // CRLFs seen so far inside quoted fields: what info.lines over-counts by.
  let extra = 0;
  let previousEnd = 1; // the header's last line
  const parser = stream.pipe(utf8LineChecker(badLines)).pipe(
    parse({
      delimiter,
      columns: (header: string[]) => {
        for (const h of header) extra += crlfs(h);
        return header.map((h) => h.replace(/^\uFEFF/, "").trim());
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
  try {
    for await (const row of parser as AsyncIterable<Row>) {
      for (const value of Object.values(row.record)) extra += crlfs(value);
      // A record is numbered by the line where it ends (a quoted newline makes it span several).
      const line = row.info.lines - extra;
      let isBad = false;
      for (let l = previousEnd + 1; l <= line && !isBad; l++) isBad = badLines.has(l);
      previousEnd = line;
      if (isBad) {
        yield { line, error: "not valid UTF-8 text" };
      } else if (row.info.error) {
        const expected = row.info.columns?.length ?? 0;
        yield { line, error: `expected ${expected} fields, found ${row.info.error.record?.length ?? "a different number of"}` };
      } else yield { line, record: row.record };
    }
  } catch (error) {
    // An unclosed quote at the end of the file, and the like: the rest cannot be split into rows.
    throw Object.assign(new Error(`cannot read the file as ${delimiter === "\t" ? "TSV" : "CSV"} after line ${previousEnd}: ${(error as Error).message}`), { code: "INVALID_FILE" });
  }
}
