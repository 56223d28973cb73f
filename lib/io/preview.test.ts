// The import preview counts every rejected row of what it read, not only the 50 it lists.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { previewFile } from "./preview";

describe("previewFile", () => {
  it("counts all the rejected rows it read and lists the first 50", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "preview-")), "rows.jsonl");
    const bad = Array.from({ length: 70 }, (_, i) => JSON.stringify({ messages: [{ role: "user", content: `q${i}` }] }));
    const good = Array.from({ length: 5 }, (_, i) => JSON.stringify({ question: `q${i}?`, reference: "r", response: "a" }));
    writeFileSync(file, [...bad, ...good].join("\n") + "\n");
    const preview = await previewFile({ path: file, fileName: "rows.jsonl", kind: "items", mapping: {} });
    expect(preview).toMatchObject({ scanned: 75, valid: 5, rejected: 70 });
    expect(preview.rejects).toHaveLength(50);
  });

  it("rejects a judgments row without a verdict, as the import does", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "preview-")), "judgments.jsonl");
    const rows = [
      { question: "q1?", response: "a1", judge: "RM-7B", verdict: "YES" },
      { question: "q2?", response: "a2", judge: "RM-7B" },
    ];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const preview = await previewFile({ path: file, fileName: "judgments.jsonl", kind: "judgments", mapping: {} });
    expect(preview).toMatchObject({ scanned: 2, valid: 1, rejected: 1 });
    expect(preview.rejects).toEqual([{ line: 2, field: "verdict", reason: "no verdict on this row" }]);
  });

  it("says why a CSV cannot be read (a quote never closed), as a refusal of the file, not a server error", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "preview-")), "rows.csv");
    writeFileSync(file, 'question,reference,response\nq1,r1,a1\nq2,"r2\n');
    const refused = await previewFile({ path: file, fileName: "rows.csv", kind: "items", mapping: {} }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: "AppError", code: "INVALID" });
    expect((refused as Error).message).toMatch(/^cannot read the file as CSV after line 2: Quote Not Closed/);
  });
});
