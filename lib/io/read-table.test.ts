// readTable: records with the line numbers an import error should point at. Expected line
// numbers are counted by hand from the fixture texts (line 1 is the first line of the file).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { readTable, type TFormat, type TLine } from "./read-table";
import { formatFromName } from "./sources";

async function read(text: string | Buffer, format: TFormat, chunkSize?: number): Promise<TLine[]> {
  const buffer = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  // chunkSize: feed the parser in small pieces, to check nothing depends on chunk boundaries
  const chunks = chunkSize ? Array.from({ length: Math.ceil(buffer.length / chunkSize) }, (_, i) => buffer.subarray(i * chunkSize, (i + 1) * chunkSize)) : [buffer];
  const out: TLine[] = [];
  for await (const line of readTable(Readable.from(chunks), format)) out.push(line);
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), "read-table-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("formatFromName", () => {
  it.each([
    ["a.jsonl", { format: "jsonl", gzip: false }],
    ["A.NDJSON", { format: "jsonl", gzip: false }],
    ["x/y.csv", { format: "csv", gzip: false }],
    ["b.tsv", { format: "tsv", gzip: false }],
    ["b.tab", { format: "tsv", gzip: false }],
    ["b.json", { format: "json", gzip: false }],
    ["b.jsonl.gz", { format: "jsonl", gzip: true }],
    ["t.parquet", { format: "parquet", gzip: false }],
    ["csv", null],
    ["notes.txt", null],
  ] as const)("%s -> %o", (name, format) => {
    expect(formatFromName(name)).toEqual(format);
  });
});

describe("readTable, JSONL", () => {
  it("numbers lines from 1, skipping blank lines but counting them", async () => {
    const text = ['{"a":1}', "", '{"a":2}', "   ", "", '{"a":3}', ""].join("\n");
    // lines: 1 {"a":1}, 2 blank, 3 {"a":2}, 4 spaces, 5 blank, 6 {"a":3}, (7 empty after the last \n)
    expect(await read(text, "jsonl")).toEqual([
      { line: 1, record: { a: 1 } },
      { line: 3, record: { a: 2 } },
      { line: 6, record: { a: 3 } },
    ]);
  });

  it("strips a BOM and reads CRLF line ends", async () => {
    const text = '\uFEFF{"q":"x"}\r\n\r\n{"q":"y"}\r\n';
    expect(await read(text, "jsonl")).toEqual([
      { line: 1, record: { q: "x" } },
      { line: 3, record: { q: "y" } },
    ]);
  });

  it("reports each bad line on its own and goes on", async () => {
    const text = ['{"a":1}', "{not json", "[1,2]", "null", '"text"', "42", '{"a":2}'].join("\n");
    const lines = await read(text, "jsonl");
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lines[0]).toEqual({ line: 1, record: { a: 1 } });
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^invalid JSON/) });
    for (const l of lines.slice(2, 6)) expect(l).toMatchObject({ error: "a line must hold one JSON object" });
    expect(lines[6]).toEqual({ line: 7, record: { a: 2 } });
  });

  it("gives the same lines whatever the chunking", async () => {
    const text = '\uFEFF{"a":"é"}\r\n\n{"a":"ü"}\n{bad\n';
    const whole = await read(text, "jsonl");
    expect(whole.map((l) => l.line)).toEqual([1, 3, 4]);
    expect(await read(text, "jsonl", 1)).toEqual(whole);
  });

  it("reads a file by path", async () => {
    const file = path.join(dir, "a.jsonl");
    writeFileSync(file, '{"a":1}\n\n{"a":2}\n');
    const out: TLine[] = [];
    for await (const l of readTable(file, "jsonl")) out.push(l);
    expect(out).toEqual([
      { line: 1, record: { a: 1 } },
      { line: 3, record: { a: 2 } },
    ]);
  });
});

describe("readTable, CSV and TSV", () => {
  it("reads a header, trims column names and numbers records by their line", async () => {
    const text = " question , answer\nq1,a1\nq2,a2\n";
    expect(await read(text, "csv")).toEqual([
      { line: 2, record: { question: "q1", answer: "a1" } },
      { line: 3, record: { question: "q2", answer: "a2" } },
    ]);
  });

  it("gives a record with a quoted newline the line where it ends", async () => {
    // line 1 header; lines 2-3 the record "1","x\ny"; line 4 the record 2,z
    const text = 'a,b\n1,"x\ny"\n2,z\n';
    expect(await read(text, "csv")).toEqual([
      { line: 3, record: { a: "1", b: "x\ny" } },
      { line: 4, record: { a: "2", b: "z" } },
    ]);
  });

  it("counts a quoted CRLF as one line, with a BOM, CRLF line ends and a blank line", async () => {
    // line 1 header (after the BOM); lines 2-3 the record 1,"x\r\ny"; line 4 blank; line 5 2,z;
    // lines 6-8 the record 3,"p\r\nq\r\nr"; line 9 4,s (no final line end).
    // (csv-parse's own info.lines counts CR and LF of a quoted CRLF separately: 4, 6, 10, 11.)
    const text = '\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n3,"p\r\nq\r\nr"\r\n4,s';
    const expected = [
      { line: 3, record: { a: "1", b: "x\r\ny" } },
      { line: 5, record: { a: "2", b: "z" } },
      { line: 8, record: { a: "3", b: "p\r\nq\r\nr" } },
      { line: 9, record: { a: "4", b: "s" } },
    ];
    expect(await read(text, "csv")).toEqual(expected);
    expect(await read(text, "csv", 1)).toEqual(expected);
    expect(await read(text, "csv", 5)).toEqual(expected);
  });

  it("keeps quotes, commas and escaped quotes inside fields", async () => {
    const text = 'a,b\n"x, y","say ""hi"""\n';
    expect(await read(text, "csv")).toEqual([{ line: 2, record: { a: "x, y", b: 'say "hi"' } }]);
  });

  it("reads TSV with tabs, commas in fields as plain text", async () => {
    const text = "question\treference\nWho, where?\tme\n\nwhat\tit\n";
    expect(await read(text, "tsv")).toEqual([
      { line: 2, record: { question: "Who, where?", reference: "me" } },
      { line: 4, record: { question: "what", reference: "it" } },
    ]);
  });

  it("reads an empty file and a header-only file as nothing", async () => {
    expect(await read("", "csv")).toEqual([]);
    expect(await read("a,b\n", "csv")).toEqual([]);
    expect(await read("", "jsonl")).toEqual([]);
  });
});

describe("readTable: rows with the wrong number of fields", () => {
  it("reports each such row as a bad line and keeps reading", async () => {
    expect(await read("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n", "csv")).toEqual([
      { line: 2, record: { a: "1", b: "2", c: "3" } },
      { line: 3, error: "expected 3 fields, found 2" },
      { line: 4, error: "expected 3 fields, found 4" },
      { line: 5, record: { a: "10", b: "11", c: "12" } },
    ]);
  });
});
