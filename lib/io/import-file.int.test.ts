// importFile against a real database, on fixture files written here: JSONL, CSV (BOM, CRLF, a
// quoted newline), TSV; idempotent re-import; bad lines; strict mode; column mappings; empty files.
// Expected counts are counted by hand from the fixtures and checked with plain SQL.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { AppError } from "@/lib/errors";
import { importFile, parseMapping } from "./import-file";
import { datasetCounts as analyticsCounts } from "@/lib/stats/overview-queries";
import { warmDataset } from "@/lib/stats/warm";
import { analyzeStatement } from "@/lib/db/statistics";
import { ANALYZE_AFTER_ROWS, createImportJob, runImportJob } from "./import-job";

const prisma = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "import-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content, "utf8");
  return file;
}

const jsonl = (...records: unknown[]) => records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

/** Row counts of every table an import writes, by plain SQL. */
async function counts() {
  const [row] = await prisma.$queryRaw<{ datasets: number; questions: number; responses: number; audits: number }[]>`
    SELECT (SELECT count(*)::int FROM datasets) AS datasets, (SELECT count(*)::int FROM questions) AS questions,
      (SELECT count(*)::int FROM responses) AS responses, (SELECT count(*)::int FROM audit_events) AS audits`;
  return row!;
}

async function datasetCounts(datasetId: number) {
  const [row] = await prisma.$queryRaw<{ questions: number; responses: number }[]>`
    SELECT (SELECT count(*)::int FROM questions WHERE dataset_id = ${datasetId}) AS questions,
      (SELECT count(*)::int FROM responses WHERE dataset_id = ${datasetId}) AS responses`;
  return row!;
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the call to throw");
}

beforeEach(async () => {
  await resetDb();
});

// 3 rows: question Q1 with two sampled responses, question Q2 with one; one extra column.
const ITEMS = [
  { question: "Who wrote Hamlet?", reference: "Shakespeare", response: "I think\nShakespeare", policy_model: "m7b", sample_index: 0, response_id: "r1", extra: "e1" },
  { question: "Who wrote Hamlet?", reference: "Shakespeare", response: "Marlowe", policy_model: "m7b", sample_index: 1, response_id: "r2", extra: { nested: [1, 2] } },
  { question: "Capital of France?", reference: "Paris", response: "Paris", policy_model: "m72b", sample_index: 0, response_id: "r3", extra: 3 },
];

describe("importFile", () => {
  it("imports JSONL, keeps extra columns as metadata, and re-imports nothing", async () => {
    const file = fixture("items.jsonl", jsonl(...ITEMS));
    const first = await importFile(prisma, { path: file, dataset: "qa" });
    expect(first).toMatchObject({ read: 3, inserted: 3, skipped: 0, rejected: [], questionsInserted: 2, responsesInserted: 3, imported: true });
    expect(await datasetCounts(first.datasetId!)).toEqual({ questions: 2, responses: 3 });

    const responses = await prisma.response.findMany({
      where: { datasetId: first.datasetId! },
      orderBy: { externalId: "asc" },
      select: { externalId: true, key: true, policyModel: true, sampleIndex: true, text: true, finalStep: true, metadata: true, question: { select: { text: true, reference: true, metadata: true } } },
    });
    expect(responses).toEqual([
      {
        externalId: "r1",
        key: "id:r1",
        policyModel: "m7b",
        sampleIndex: 0,
        text: "I think\nShakespeare",
        finalStep: "Shakespeare",
        metadata: { extra: "e1" },
        question: { text: "Who wrote Hamlet?", reference: "Shakespeare", metadata: {} },
      },
      {
        externalId: "r2",
        key: "id:r2",
        policyModel: "m7b",
        sampleIndex: 1,
        text: "Marlowe",
        finalStep: "Marlowe",
        metadata: { extra: { nested: [1, 2] } },
        question: { text: "Who wrote Hamlet?", reference: "Shakespeare", metadata: {} },
      },
      {
        externalId: "r3",
        key: "id:r3",
        policyModel: "m72b",
        sampleIndex: 0,
        text: "Paris",
        finalStep: "Paris",
        metadata: { extra: 3 },
        question: { text: "Capital of France?", reference: "Paris", metadata: {} },
      },
    ]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "import.items" } });
    expect(audit).toMatchObject({ entity: "dataset", entityId: String(first.datasetId), data: { file: "items.jsonl", read: 3, inserted: 3, skipped: 0, rejected: 0 } });

    // the same file again, into the same dataset: nothing new
    const before = await counts();
    const again = await importFile(prisma, { path: file, dataset: "qa" });
    expect(again).toMatchObject({ datasetId: first.datasetId, read: 3, inserted: 0, skipped: 3, rejected: [], questionsInserted: 0, responsesInserted: 0 });
    const after = await counts();
    expect(after).toEqual({ ...before, audits: before.audits + 1 });
  });

  it("adds to a dataset what a file has new, each response under its own question, old and new rows mixed in one batch", async () => {
    const row = (q: number, k: number) => ({ question: `Q${q}?`, reference: `R${q}`, response: `answer ${q}.${k}`, sample_index: k });
    await importFile(prisma, { path: fixture("first.jsonl", jsonl(row(1, 0), row(1, 1), row(2, 0), row(2, 1), row(3, 0))), dataset: "grow" });
    // Old rows, a new response to an old question, a new question between old ones, interleaved.
    const second = await importFile(prisma, {
      path: fixture("second.jsonl", jsonl(row(4, 0), row(1, 0), row(1, 2), row(2, 1), row(5, 0), row(5, 1), row(3, 0), row(3, 1))),
      dataset: "grow",
    });
    expect(second).toMatchObject({ read: 8, inserted: 5, skipped: 3, rejected: [], questionsInserted: 2, responsesInserted: 5 });
    const rows = await prisma.$queryRaw<{ question: string; response: string }[]>`
      SELECT q.text AS question, r.text AS response FROM responses r JOIN questions q ON q.id = r.question_id AND q.dataset_id = r.dataset_id
      ORDER BY r.text`;
    // Every response sits under the question it was read with, once.
    expect(rows).toEqual(
      ["1.0", "1.1", "1.2", "2.0", "2.1", "3.0", "3.1", "4.0", "5.0", "5.1"].map((n) => ({ question: `Q${n.split(".")[0]}?`, response: `answer ${n}` })),
    );
    expect((await counts()).questions).toBe(5);
  });

  it("counts a row as new when it adds a label or a verdict to a response already there, also one made earlier in the same file", async () => {
    const row = (k: number, extra: object = {}) => ({ question: "Q?", reference: "R", response: `answer ${k}`, ...extra });
    await importFile(prisma, { path: fixture("plain.jsonl", jsonl(row(1), row(2), row(3))), dataset: "attach" });
    const attach = fixture("attach.jsonl", jsonl(row(1, { judge: "G", verdict: "YES" }), row(2, { expert_label: "correct", annotator: "ann" }), row(3), row(4), row(4, { judge: "G", verdict: "NO" })));
    const first = await importFile(prisma, { path: attach, dataset: "attach" });
    // New: 1 (a verdict), 2 (a label), the first 4 (a response), the second 4 (a verdict to it). Already there: 3.
    expect(first).toMatchObject({ read: 5, inserted: 4, skipped: 1, responsesInserted: 1, labelsInserted: 1, judgmentsInserted: 2 });
    expect(first.message).toBe("4 new, 1 already there, 0 rejected");
    // Again: every row is there.
    expect(await importFile(prisma, { path: attach, dataset: "attach" })).toMatchObject({ read: 5, inserted: 0, skipped: 5, judgmentsInserted: 0, labelsInserted: 0 });
  });

  it("maps each JSONL line by its own keys (a field missing on line 1 is still read later)", async () => {
    const file = fixture("ragged.jsonl", jsonl(
      { question: "q1", reference: "a1", response: "x" },
      { question: "q2", reference: "a2", response: "y", subject: "history", response_id: "id-2", note: "n" },
    ));
    const result = await importFile(prisma, { path: file, dataset: "ragged" });
    expect(result).toMatchObject({ read: 2, inserted: 2, rejected: [] });
    const q2 = await prisma.question.findFirstOrThrow({ where: { text: "q2" }, select: { subject: true, responses: { select: { externalId: true, metadata: true } } } });
    expect(q2).toEqual({ subject: "history", responses: [{ externalId: "id-2", metadata: { note: "n" } }] });
  });

  it("imports CSV with a BOM, CRLF line ends and a quoted newline", async () => {
    const file = fixture(
      "items.csv",
      "\uFEFFquestion,reference,response,policy_model,sample_index\r\n" +
        'Who wrote Hamlet?,Shakespeare,"Let me think.\r\nShakespeare",m7b,0\r\n' +
        '"Capital of France, please?",Paris,Paris,m7b,\r\n' +
        "\r\n" +
        '"Say ""hi""",hi,hi,m7b,2\r\n',
    );
    const result = await importFile(prisma, { path: file, dataset: "csv" });
    expect(result).toMatchObject({ read: 3, inserted: 3, skipped: 0, rejected: [], questionsInserted: 3 });
    const rows = await prisma.$queryRaw<{ question: string; text: string; final_step: string; sample_index: number; metadata: unknown }[]>`
      SELECT q.text AS question, r.text, r.final_step, r.sample_index, r.metadata
      FROM responses r JOIN questions q ON q.id = r.question_id WHERE r.dataset_id = ${result.datasetId} ORDER BY r.id`;
    expect(rows).toEqual([
      { question: "Who wrote Hamlet?", text: "Let me think.\r\nShakespeare", final_step: "Shakespeare", sample_index: 0, metadata: {} },
      // an empty sample_index is 0
      { question: "Capital of France, please?", text: "Paris", final_step: "Paris", sample_index: 0, metadata: {} },
      { question: 'Say "hi"', text: "hi", final_step: "hi", sample_index: 2, metadata: {} },
    ]);
    // no response_id column: keys are hashes, and re-import is still idempotent
    const before = await counts();
    expect(await importFile(prisma, { path: file, dataset: "csv" })).toMatchObject({ inserted: 0, skipped: 3 });
    expect((await counts()).responses).toBe(before.responses);
  });

  it("reports CSV bad lines at the line the record ends on", async () => {
    // line 1 header; lines 2-3 a good record with a quoted CRLF; line 4 no reference; line 5 bad sample_index
    const file = fixture(
      "bad.csv",
      "question,reference,response,sample_index\r\n" + 'q1,a1,"x\r\ny",0\r\n' + "q2,,y,0\r\n" + "q3,a3,z,-1\r\n",
    );
    const result = await importFile(prisma, { path: file, dataset: "csv-bad" });
    expect(result.inserted).toBe(1);
    expect(result.rejected).toEqual([
      { line: 4, field: "reference", reason: "missing reference answer" },
      { line: 5, field: "sample_index", reason: "must be a whole number >= 0" },
    ]);
  });

  it("imports TSV", async () => {
    const file = fixture("items.tsv", "question\treference\tresponse\tsource\nWho, where?\tme\tme, here\twiki\nWhat?\tit\tthat\tbook\n");
    const result = await importFile(prisma, { path: file, dataset: "tsv" });
    expect(result).toMatchObject({ read: 2, inserted: 2, rejected: [] });
    const rows = await prisma.$queryRaw<{ question: string; reference: string; text: string; metadata: unknown }[]>`
      SELECT q.text AS question, q.reference, r.text, r.metadata FROM responses r JOIN questions q ON q.id = r.question_id
      WHERE r.dataset_id = ${result.datasetId} ORDER BY r.id`;
    expect(rows).toEqual([
      { question: "Who, where?", reference: "me", text: "me, here", metadata: { source: "wiki" } },
      { question: "What?", reference: "it", text: "that", metadata: { source: "book" } },
    ]);
  });

  it("reports bad lines with line number and field, and imports the good ones", async () => {
    const good = (n: number) => ({ question: `q${n}`, reference: `a${n}`, response: `r${n}` });
    const file = fixture(
      "bad.jsonl",
      jsonl(
        { question: "q0", response: "r0" }, // 1: no reference at all
        good(1), // 2
        '{"question": "q", "reference": ', // 3: invalid JSON
        "", // 4: blank, skipped
        { ...good(2), sample_index: -1 }, // 5: negative sample index
        "[1, 2, 3]", // 6: an array, not an object
        { ...good(3), reference: "   " }, // 7: blank reference
        { ...good(4), sample_index: 1.5 }, // 8: fractional sample index
        good(5), // 9
      ),
    );
    const result = await importFile(prisma, { path: file, dataset: "bad" });
    expect(result.rejected).toEqual([
      { line: 1, field: "reference", reason: "missing reference answer" },
      { line: 3, field: "line", reason: expect.stringMatching(/^invalid JSON/) },
      { line: 5, field: "sample_index", reason: "must be a whole number >= 0" },
      { line: 6, field: "line", reason: "a line must hold one JSON object" },
      { line: 7, field: "reference", reason: "missing reference answer" },
      { line: 8, field: "sample_index", reason: "must be a whole number >= 0" },
    ]);
    // 8 non-blank lines read, the 2 good ones inserted
    expect(result).toMatchObject({ read: 8, inserted: 2, skipped: 0 });
    const texts = await prisma.$queryRaw<{ text: string }[]>`SELECT text FROM responses WHERE dataset_id = ${result.datasetId} ORDER BY text`;
    expect(texts.map((t) => t.text)).toEqual(["r1", "r5"]);
  });

  it("strict: one bad line imports nothing and leaves the database as it was", async () => {
    // an existing dataset with data, so "as it was" is not just "empty"
    const seeded = await importFile(prisma, { path: fixture("seed.jsonl", jsonl(...ITEMS)), dataset: "qa" });
    const file = fixture("strict.jsonl", jsonl(
      { question: "n1", reference: "a", response: "x" },
      { question: "n2", reference: "a", response: "y", sample_index: "minus one" },
      { question: "n3", reference: "a", response: "z" },
    ));
    for (const dataset of ["qa", "brand-new"]) {
      const before = await counts();
      const error = await caught(importFile(prisma, { path: file, dataset, strict: true }));
      expect(error.code).toBe("INVALID");
      expect(error.details).toEqual([{ line: 2, field: "sample_index", reason: "must be a whole number >= 0" }]);
      expect(await counts()).toEqual(before);
    }
    expect(await prisma.dataset.findUnique({ where: { name: "brand-new" } })).toBeNull();
    expect(await datasetCounts(seeded.datasetId!)).toEqual({ questions: 2, responses: 3 });

    // strict with a clean file imports normally
    const clean = fixture("clean.jsonl", jsonl({ question: "n1", reference: "a", response: "x" }));
    expect(await importFile(prisma, { path: clean, dataset: "qa", strict: true })).toMatchObject({ inserted: 1, rejected: [] });
  });

  it("maps columns of other names", async () => {
    const file = fixture("mapped.jsonl", jsonl(
      { ask: "2+2?", truth: "4", response: "four", model: "m", note: "n" },
      { ask: "3+3?", truth: "6", response: "6", model: "m", note: "n" },
    ));
    const mapping = parseMapping("question=ask,reference=truth");
    expect(mapping).toEqual({ question: "ask", reference: "truth" });
    const result = await importFile(prisma, { path: file, dataset: "mapped", mapping });
    expect(result).toMatchObject({ read: 2, inserted: 2, rejected: [] });
    const rows = await prisma.$queryRaw<{ question: string; reference: string; text: string; policy_model: string; metadata: unknown }[]>`
      SELECT q.text AS question, q.reference, r.text, r.policy_model, r.metadata FROM responses r JOIN questions q ON q.id = r.question_id
      WHERE r.dataset_id = ${result.datasetId} ORDER BY r.id`;
    // mapped columns are fields, not metadata; "model" is guessed as the policy model; the
    // unmapped "note" stays in metadata
    expect(rows).toEqual([
      { question: "2+2?", reference: "4", text: "four", policy_model: "m", metadata: { note: "n" } },
      { question: "3+3?", reference: "6", text: "6", policy_model: "m", metadata: { note: "n" } },
    ]);

    // without the mapping, the same file has no question column: every line is rejected
    const unmapped = await importFile(prisma, { path: file, dataset: "unmapped" });
    expect(unmapped).toMatchObject({ read: 2, inserted: 0 });
    expect(unmapped.rejected).toEqual([
      { line: 1, field: "question", reason: "missing question text" },
      { line: 2, field: "question", reason: "missing question text" },
    ]);
  });

  it("parseMapping accepts field=column pairs and rejects anything else", () => {
    expect(parseMapping(undefined)).toEqual({});
    expect(parseMapping("")).toEqual({});
    expect(parseMapping(" question = Prompt Text , response_id=id ")).toEqual({ question: "Prompt Text", response_id: "id" });
    for (const bad of ["questoin=prompt", "prompt=question", "question", "question=", "=prompt", "question=prompt,,reference=a", "text=x"]) {
      let error: unknown;
      try {
        parseMapping(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("INVALID");
    }
  });

  it("imports an empty file as nothing, without error", async () => {
    for (const name of ["empty.jsonl", "empty.csv", "empty.tsv"]) {
      const result = await importFile(prisma, { path: fixture(name, ""), dataset: "empty" });
      expect(result).toMatchObject({ read: 0, inserted: 0, skipped: 0, rejected: [] });
    }
    const blank = await importFile(prisma, { path: fixture("blank.jsonl", "\n\n  \n"), dataset: "empty" });
    expect(blank).toMatchObject({ read: 0, inserted: 0, rejected: [] });
    expect((await counts()).questions).toBe(0);
  });

  it("refreshes the planner's statistics after an import of many rows, not after a small one", async () => {
    const lastAnalyze = async () => {
      const [row] = await prisma.$queryRaw<{ at: Date | null }[]>`SELECT greatest(last_analyze, last_autoanalyze) AS at FROM pg_stat_user_tables WHERE relname = 'responses'`;
      return row?.at ?? null;
    };
    await importFile(prisma, { path: fixture("small.jsonl", jsonl(...ITEMS)), dataset: "stats" });
    const afterSmall = await lastAnalyze();
    const rows = Array.from({ length: ANALYZE_AFTER_ROWS }, (_, i) => ({ question: `Q${i % 2000}`, reference: "R", response: `A${i}`, sample_index: Math.floor(i / 2000) }));
    const started = new Date(Date.now() - 1000);
    const result = await importFile(prisma, { path: fixture("many.jsonl", jsonl(...rows)), dataset: "stats" });
    expect(result).toMatchObject({ inserted: ANALYZE_AFTER_ROWS, rejected: [] });
    const afterMany = await lastAnalyze();
    expect(afterMany).not.toBeNull();
    expect(afterMany!.getTime()).toBeGreaterThan(started.getTime());
    if (afterSmall) expect(afterSmall.getTime()).toBeLessThan(started.getTime());
  });

  it("updates the statistics of what an import wrote, and the columns it names exist", async () => {
    expect(analyzeStatement({ questions: 0, responses: 0, labels: 0, judgments: 0 })).toBeNull();
    expect(analyzeStatement({ questions: 2, responses: 10 })).toMatch(/^ANALYZE questions \(.*\), responses \(.*\)$/);
    const all = analyzeStatement({ questions: 1, responses: 1, labels: 1, judgments: 1 })!;
    expect(all.match(/responses \(/g)).toHaveLength(1); // responses once, though two kinds name it
    // A wrong column name would only be logged by the job: run the statement here.
    await prisma.$executeRawUnsafe(all);
  });

  it("rejects a line holding a NUL character (which Postgres cannot store) and reports it, instead of failing the whole import", async () => {
    const good = (n: number) => ({ question: `q${n}`, reference: `a${n}`, response: `r${n}` });
    const name = "nul.jsonl";
    // (A raw NUL byte in the first kilobytes makes the file binary, refused as a whole; past them, it is a bad line.)
    const padding = Array.from({ length: 200 }, (_, i) => ({ ...good(100 + i), reference: "a".repeat(50) }));
    const filePath = fixture(
      name,
      jsonl(
        ...padding,
        good(1),
        { ...good(2), response: "r\u00002" }, // 202: an escaped NUL in a text
        { ...good(3), extra: { nested: ["ok", "bad\u0000"] } }, // 203: in an unmapped column (metadata)
        "\u0000{}", // 204: a raw NUL byte: invalid JSON, whose message quotes it
        good(5),
      ),
    );
    const job = await createImportJob(prisma, { dataset: "nul", kind: "items", fileName: name, filePath, mapping: {}, strict: false, source: "cli", actorId: null });
    await runImportJob(prisma, job.id);
    const done = await prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "completed", inserted: 202, rejected: 3 });
    const rejects = await prisma.$queryRaw<{ line: number; field: string; reason: string }[]>`SELECT line, field, reason FROM import_rejects WHERE job_id = ${job.id} ORDER BY line`;
    expect(rejects).toEqual([
      { line: 202, field: "response", reason: expect.stringContaining("NUL character") },
      { line: 203, field: "extra", reason: expect.stringContaining("NUL character") },
      { line: 204, field: "line", reason: expect.stringMatching(/^invalid JSON/) },
    ]);
    expect(rejects[2]!.reason).toContain("\uFFFD"); // the quoted NUL, storable
    const texts = await prisma.$queryRaw<{ text: string }[]>`SELECT text FROM responses WHERE dataset_id = ${done.datasetId} AND text IN ('r1', 'r5') ORDER BY text`;
    expect(texts.map((t) => t.text)).toEqual(["r1", "r5"]);
  });

  it("brings a large import's analytics up to date before the job says it is done, and leaves small ones be", async () => {
    const settled: { datasetId: number; status: string }[] = [];
    const settle = async (datasetId: number) => {
      const job = await prisma.importJob.findFirstOrThrow({ where: { datasetId, status: "running" } });
      await warmDataset(datasetId);
      settled.push({ datasetId, status: job.status });
    };
    const run = async (name: string, rows: unknown[]) => {
      const filePath = fixture(name, jsonl(...rows));
      const job = await createImportJob(prisma, { dataset: "settled", kind: "items", fileName: name, filePath, mapping: {}, strict: false, source: "cli", actorId: null });
      await runImportJob(prisma, job.id, { settle });
      return prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
    };
    const small = await run("few.jsonl", ITEMS);
    expect(small.status).toBe("completed");
    expect(settled).toEqual([]);

    const many = Array.from({ length: ANALYZE_AFTER_ROWS }, (_, i) => ({ question: `S${i % 2000}`, reference: "R", response: `B${i}`, sample_index: Math.floor(i / 2000) }));
    const large = await run("many.jsonl", many);
    expect(large.status).toBe("completed");
    expect(settled).toEqual([{ datasetId: large.datasetId, status: "running" }]);
    // The overview's figures were computed for the data as imported: served from their snapshots.
    const counts = await analyticsCounts(large.datasetId!);
    expect(counts.isCached).toBe(true);
    expect(counts.value.responses).toBe(ANALYZE_AFTER_ROWS + ITEMS.length);
  });

  it("reads a file whose name does not tell its format by its content, and refuses binary content", async () => {
    const result = await importFile(prisma, { path: fixture("items.txt", jsonl(...ITEMS)), dataset: "x" });
    expect(result).toMatchObject({ inserted: 3 });
    writeFileSync(path.join(dir, "blob.txt"), Buffer.from([0, 1, 2, 3, 0xff, 0]));
    const error = await caught(importFile(prisma, { path: path.join(dir, "blob.txt"), dataset: "x" }));
    expect(error.message).toMatch(/cannot tell the format/);
  });
});

describe("matching a file's rows to stored responses by their texts", () => {
  it("finds responses whose texts are not ASCII (the database's digest and the importer's agree), and says which rows match none", async () => {
    const items = [
      { question: "¿Qué es π?", reference: "3.14159…", response: "Es 3,14 😀\nRespuesta: π" },
      { question: "光速是多少？", reference: "299792458 m/s", response: "约 3×10⁸ 米每秒" },
      { question: "plain?", reference: "yes", response: "plain" },
    ];
    await importFile(prisma, { path: fixture("unicode.jsonl", jsonl(...items)), dataset: "unicode" });
    const verdicts = [
      ...items.map((i, k) => ({ question: i.question, response: i.response, verdict: k === 1 ? "NO" : "YES" })),
      { question: "¿Qué es π?", response: "Es 3,14 😀", verdict: "YES" }, // not the stored text
    ];
    const result = await importFile(prisma, { path: fixture("unicode-verdicts.jsonl", jsonl(...verdicts)), dataset: "unicode", kind: "judgments", judge: "G" });
    expect(result).toMatchObject({ inserted: 3 });
    expect(result.rejected).toEqual([{ line: 4, field: "response", reason: "no response with this question and response text in the dataset" }]);
    const judged = await prisma.$queryRaw<{ response: string; verdict: string }[]>`
      SELECT r.text AS response, j.verdict::text AS verdict FROM judgments j JOIN responses r ON r.id = j.response_id ORDER BY r.id`;
    expect(judged).toEqual(items.map((i, k) => ({ response: i.response, verdict: k === 1 ? "NO" : "YES" })));
  });
});

describe("response text length", () => {
  it("is stored as Postgres counts characters", async () => {
    await resetDb();
    const dir = mkdtempSync(path.join(tmpdir(), "len-"));
    const file = path.join(dir, "len.jsonl");
    writeFileSync(file, JSON.stringify({ question: "q", reference: "r", response: "naïve 🙂 answer\nline two" }) + "\n");
    await importFile(testDb(), { path: file, dataset: "len" });
    const [row] = await testDb().$queryRaw<{ stored: number; actual: number }[]>`SELECT text_length AS stored, length(text) AS actual FROM responses`;
    expect(row!.stored).toBe(row!.actual);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("the database ends the import's connection", () => {
  // As a restart or a failover does, mid-import; the embedded database has no other backends to end.
  it.skipIf(inject("embeddedDatabase"))("fails the import with the reason, writes nothing, and the process lives on", async () => {
    const file = path.join(dir, "cut.jsonl");
    const lines = Array.from({ length: 40_000 }, (_, i) => ({ question: `cut question ${i >> 2}`, reference: "r", response: `answer ${i} ${"x".repeat(200)}` }));
    writeFileSync(file, jsonl(...lines));
    const before = await counts();
    let ending: Promise<unknown> | null = null;
    const error = await caught(
      importFile(prisma, {
        path: file,
        dataset: "cut",
        onProgress: (p) => {
          if (ending || p.rowsRead < 5_000) return;
          ending = (async () => {
            const admin = new pg.Client({ connectionString: inject("databaseUrl") });
            await admin.connect();
            await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            await admin.end();
          })();
        },
      }),
    );
    await ending;
    expect(ending).not.toBeNull();
    expect(error.message).toMatch(/^the database connection was lost during the import .* nothing was imported: run it again$/);
    const after = await counts();
    expect({ questions: after.questions, responses: after.responses }).toEqual({ questions: before.questions, responses: before.responses });
    const job = await prisma.importJob.findFirstOrThrow({ where: { fileName: "cut.jsonl" }, orderBy: { id: "desc" } });
    expect(job.status).toBe("failed");
  });
});
