// Every format and layout the importer reads, and every kind of bad input the issue lists, on
// fixtures written here. Expected counts are counted by hand from the fixtures; what was stored
// is checked with plain SQL. A failed import must leave the database exactly as it was.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { AppError } from "@/lib/errors";
import { importFile } from "./import-file";
import { importItems } from "./import-items";
import { previewFile } from "./preview";
import { prismaSql } from "@/lib/db/sql";

const prisma = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "formats-"));
process.env.STUDIO_DATA_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
const jsonl = (...records: unknown[]) => records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the call to throw");
}

/** Every row of the tables an import writes, to compare before and after a failed import. */
async function snapshot() {
  return prisma.$queryRaw<{ t: string }[]>`
    SELECT (SELECT coalesce(json_agg(q ORDER BY q.id), '[]')::text FROM questions q) || (SELECT coalesce(json_agg(r ORDER BY r.id), '[]')::text FROM responses r)
      || (SELECT coalesce(json_agg(l ORDER BY l.id), '[]')::text FROM expert_labels l) || (SELECT coalesce(json_agg(j ORDER BY j.id), '[]')::text FROM judgments j)
      || (SELECT count(*)::text FROM datasets) AS t`;
}

beforeEach(async () => {
  await resetDb();
});

describe("formats and layouts", () => {
  it("reads the released RLVR format (query = [system, user] messages, label) from JSONL and Parquet alike", async () => {
    const rows = [
      { query: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: "What is 2+2?" }], label: "4" },
      { query: [{ role: "system", content: "Be brief." }, { role: "user", content: "Capital of France?" }], label: "Paris" },
    ];
    const a = await importFile(prisma, { path: fixture("released.jsonl", jsonl(...rows)), dataset: "released" });
    expect(a).toMatchObject({ read: 2, inserted: 2, questionsInserted: 2, responsesInserted: 0, rejected: [] });
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: "query", data: rows.map((r) => r.query) },
        { name: "label", data: rows.map((r) => r.label), type: "STRING" },
      ],
    });
    const b = await importFile(prisma, { path: fixture("released.parquet", Buffer.from(parquet)), dataset: "released-pq" });
    expect(b).toMatchObject({ read: 2, inserted: 2, rejected: [] });
    // Its progress in bytes ends at the file's size, as for every other format (it had counted the
    // row groups' uncompressed size, past the file's end).
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: b.jobId }, select: { bytesRead: true, fileBytes: true } });
    expect(job.bytesRead).toBe(BigInt(parquet.byteLength));
    expect(job.fileBytes).toBe(BigInt(parquet.byteLength));
    const stored = await prisma.$queryRaw<{ name: string; text: string; reference: string; metadata: unknown }[]>`
      SELECT d.name, q.text, q.reference, q.metadata FROM questions q JOIN datasets d ON d.id = q.dataset_id ORDER BY d.name, q.id`;
    const expected = [
      { text: "What is 2+2?", reference: "4", metadata: { system_prompt: "You are a helpful assistant." } },
      { text: "Capital of France?", reference: "Paris", metadata: { system_prompt: "Be brief." } },
    ];
    expect(stored).toEqual([...expected.map((e) => ({ name: "released", ...e })), ...expected.map((e) => ({ name: "released-pq", ...e }))]);
  });

  it("reads rollouts (one question, k responses with parallel verdict lists) and wide rows (answer_*, judge_*)", async () => {
    const rollout = { prompt: "2+3?", answer: "5", responses: ["5", "six", "The answer is\n5"], verdict: ["YES", "NO", "yes"], judge: "72B" };
    const r = await importFile(prisma, { path: fixture("rollout.jsonl", jsonl(rollout)), dataset: "rollout" });
    expect(r).toMatchObject({ read: 1, questionsInserted: 1, responsesInserted: 3, judgmentsInserted: 3, rejected: [] });
    const stored = await prisma.$queryRaw<{ sample_index: number; text: string; final_step: string; verdict: string }[]>`
      SELECT r.sample_index, r.text, r.final_step, j.verdict::text FROM responses r JOIN judgments j ON j.response_id = r.id ORDER BY r.sample_index`;
    expect(stored).toEqual([
      { sample_index: 0, text: "5", final_step: "5", verdict: "YES" },
      { sample_index: 1, text: "six", final_step: "six", verdict: "NO" },
      { sample_index: 2, text: "The answer is\n5", final_step: "5", verdict: "YES" },
    ]);
    // Parallel lists of another length than the responses: misaligned, so the line is refused, naming both lengths.
    const misaligned = await importFile(prisma, {
      path: fixture("rollout-misaligned.jsonl", jsonl(
        { prompt: "1+1?", answer: "2", responses: ["2", "3"], labels: ["correct", "incorrect", "correct"] },
        { prompt: "1+2?", answer: "3", responses: ["3", "4", "5"], verdict: ["YES", "NO"], judge: "72B" },
        { prompt: "1+3?", answer: "4", responses: ["4", "5"], labels: ["correct", "incorrect"] },
      )),
      dataset: "rollout",
      mapping: { expert_label: "labels" },
    });
    expect(misaligned).toMatchObject({ read: 3, responsesInserted: 2 });
    expect(misaligned.rejected).toEqual([
      { line: 1, field: "expert_label", reason: "a list of 3 beside 2 responses: each response needs its own (or one value for all)" },
      { line: 2, field: "verdict", reason: "a list of 2 beside 3 responses: each response needs its own (or one value for all)" },
    ]);

    // EVOUNA's shape: a null answer has no response; a null label stays unlabeled; a label on a
    // missing answer is rejected; an empty answer is a response.
    const wide = [
      { question: "q1", golden_answer: "a", answer_fid: "a", judge_fid: true, answer_gpt4: "b", judge_gpt4: false, improper: false },
      { question: "q2", golden_answer: "c", answer_fid: null, judge_fid: false, answer_gpt4: "", judge_gpt4: null, improper: true },
    ];
    const w = await importFile(prisma, {
      path: fixture("wide.json", JSON.stringify(wide, null, 1)),
      dataset: "wide",
      mapping: { question: "question", reference: "golden_answer", response: "answer_*", expert_label: "judge_*" },
      annotator: "human",
    });
    expect(w).toMatchObject({ read: 2, questionsInserted: 2, responsesInserted: 3, labelsInserted: 2 });
    expect(w.rejected).toEqual([{ line: 2, field: "expert_label", reason: "an expert label without a response" }]);
    const rows = await prisma.$queryRaw<{ q: string; policy_model: string; text: string; gold: string | null; qmeta: unknown }[]>`
      SELECT q.text AS q, r.policy_model, r.text, r.gold_label::text AS gold, q.metadata AS qmeta
      FROM responses r JOIN questions q ON q.id = r.question_id WHERE r.dataset_id = ${w.datasetId} ORDER BY r.id`;
    expect(rows).toEqual([
      { q: "q1", policy_model: "fid", text: "a", gold: "correct", qmeta: { improper: false } },
      { q: "q1", policy_model: "gpt4", text: "b", gold: "incorrect", qmeta: { improper: false } },
      { q: "q2", policy_model: "gpt4", text: "", gold: null, qmeta: { improper: true } },
    ]);
  });

  it("reads gzipped JSONL and CSV with a TSV body named .csv", async () => {
    const gz = await importFile(prisma, { path: fixture("a.jsonl.gz", gzipSync(jsonl({ question: "q", reference: "r", response: "x" }))), dataset: "gz" });
    expect(gz).toMatchObject({ inserted: 1 });
    const tsv = await importFile(prisma, { path: fixture("t.csv", "question\treference\nq\tr\n"), dataset: "tsv" });
    expect(tsv).toMatchObject({ inserted: 1, questionsInserted: 1 });
  });

  it("imports judgments and labels of another file by question and response text", async () => {
    await importFile(prisma, { path: fixture("base.jsonl", jsonl({ question: "q", reference: "r", response: "x" }, { question: "q", reference: "r", response: "y" })), dataset: "m" });
    const j = await importFile(prisma, {
      path: fixture("verdicts.csv", "question,response,verdict,p_yes\nq,x,YES,0.9\nq,y,NO,0.2\nq,zzz,YES,0.5\nq,x,YES,1.5\n"),
      dataset: "m",
      kind: "judgments",
      judge: "GPT-4",
    });
    expect(j).toMatchObject({ read: 4, inserted: 2 });
    expect(j.rejected.map((r) => [r.line, r.field])).toEqual([[4, "response"], [5, "p_yes"]]);
    const l = await importFile(prisma, { path: fixture("labels.jsonl", jsonl({ question: "q", response: "x", expert_label: "correct", annotator: "ann" })), dataset: "m", kind: "labels" });
    expect(l).toMatchObject({ inserted: 1 });
    const [row] = await prisma.$queryRaw<{ judges: number; runs: number; gold: string }[]>`
      SELECT (SELECT count(*)::int FROM judgments) AS judges, (SELECT count(*)::int FROM judge_runs) AS runs,
        (SELECT gold_label::text FROM responses WHERE text = 'x') AS gold`;
    expect(row).toEqual({ judges: 2, runs: 1, gold: "correct" });
    // into a dataset that does not exist: nothing is created
    const error = await caught(importFile(prisma, { path: path.join(dir, "verdicts.csv"), dataset: "nope", kind: "judgments", judge: "G" }));
    expect(error.message).toMatch(/does not exist/);
  });

  it("matches labels and verdicts by text among the responses of the policy model and sample index a row names", async () => {
    // Three models gave the same answer; sample 1 of model b too.
    await importFile(prisma, {
      path: fixture("same-answer.jsonl", jsonl(
        { question: "capital?", reference: "Paris", response: "Paris", policy_model: "a" },
        { question: "capital?", reference: "Paris", response: "Paris", policy_model: "b" },
        { question: "capital?", reference: "Paris", response: "Paris", policy_model: "b", sample_index: 1 },
        { question: "capital?", reference: "Paris", response: "Paris", policy_model: "c" },
      )),
      dataset: "same answer",
    });
    const labels = await importFile(prisma, {
      path: fixture("same-answer-labels.jsonl", jsonl(
        { question: "capital?", response: "Paris", policy_model: "c", expert_label: "incorrect", annotator: "x" },
        { question: "capital?", response: "Paris", policy_model: "b", sample_index: 1, expert_label: "correct", annotator: "x" },
        { question: "capital?", response: "Paris", policy_model: "d", expert_label: "correct", annotator: "x" },
        { question: "capital?", response: "Paris", expert_label: "unsure", annotator: "y" },
      )),
      dataset: "same answer",
      kind: "labels",
    });
    expect(labels).toMatchObject({ read: 4, inserted: 3 });
    expect(labels.rejected).toEqual([{ line: 3, field: "response", reason: 'no response of policy model "d" has this question and response text in the dataset' }]);
    const stored = await prisma.expertLabel.findMany({ where: { response: { question: { dataset: { name: "same answer" } } } }, select: { annotator: true, value: true, response: { select: { policyModel: true, sampleIndex: true } } } });
    expect(stored.map((l) => [l.annotator, l.value, l.response.policyModel, l.response.sampleIndex]).sort()).toEqual([
      ["x", "correct", "b", 1],
      ["x", "incorrect", "c", 0],
      // without a model, the first response in sample order, as before
      ["y", "unsure", "a", 0],
    ]);
    const verdicts = await importFile(prisma, {
      path: fixture("same-answer-verdicts.csv", "question,response,policy_model,verdict\ncapital?,Paris,c,NO\n"),
      dataset: "same answer",
      kind: "judgments",
      judge: "by model",
    });
    expect(verdicts).toMatchObject({ inserted: 1, rejected: [] });
    const [judged] = await prisma.judgment.findMany({ where: { judge: { name: "by model" } }, select: { response: { select: { policyModel: true } } } });
    expect(judged!.response.policyModel).toBe("c");

    // A judge's samples of one response are rows of the same text: all go to that response (as
    // do its verdicts of another version), not each to the next response of that text.
    const samples = await importFile(prisma, {
      path: fixture(
        "same-answer-samples.csv",
        "question,response,policy_model,verdict,judge_sample,template_version\ncapital?,Paris,c,YES,0,v1\ncapital?,Paris,c,NO,1,v1\ncapital?,Paris,c,YES,2,v1\ncapital?,Paris,c,NO,0,v2\n",
      ),
      dataset: "same answer",
      kind: "judgments",
      judge: "sampled",
    });
    expect(samples).toMatchObject({ inserted: 4, rejected: [] });
    const sampled = await prisma.judgment.findMany({ where: { judge: { name: "sampled" } }, orderBy: [{ templateVersion: "asc" }, { sample: "asc" }], select: { templateVersion: true, sample: true, verdict: true, response: { select: { policyModel: true, sampleIndex: true } } } });
    expect(sampled.map((j) => [j.templateVersion, j.sample, j.verdict, j.response.policyModel])).toEqual([
      ["v1", 0, "YES", "c"],
      ["v1", 1, "NO", "c"],
      ["v1", 2, "YES", "c"],
      ["v2", 0, "NO", "c"],
    ]);
  });

  it("gives imported verdicts the file's template version and judge sample; a judge made by the import takes the version as its own", async () => {
    const csv = [
      "question,reference,response,judge,verdict,p_yes,template_version,judge_sample",
      "q,r,x,Outside 72B,YES,0.9,their-v3,0",
      "q,r,x,Outside 72B,NO,0.3,their-v3,1",
      "q,r,y,Outside 72B,NO,0.2,their-v3,0",
      "q,r,y,Outside 72B,NO,0.2,their-v3,-1",
      "q,r,y,Outside 72B,NO,0.2,their-v3,1.5",
    ].join("\n");
    const out = await importFile(prisma, { path: fixture("versions.csv", csv), dataset: "versions" });
    expect(out).toMatchObject({ read: 5, judgmentsInserted: 3, notes: [] });
    expect(out.rejected.map((r) => [r.line, r.field])).toEqual([[5, "judge_sample"], [6, "judge_sample"]]);
    const judge = await prisma.judge.findUniqueOrThrow({ where: { name: "Outside 72B" }, select: { id: true, kind: true, templateVersion: true } });
    expect(judge).toMatchObject({ kind: "external", templateVersion: "their-v3" });
    const rows = await prisma.judgment.findMany({ where: { judgeId: judge.id }, select: { templateVersion: true, sample: true, verdict: true, response: { select: { text: true } } }, orderBy: [{ responseId: "asc" }, { sample: "asc" }] });
    expect(rows.map((r) => [r.response.text, r.templateVersion, r.sample, r.verdict])).toEqual([
      ["x", "their-v3", 0, "YES"],
      ["x", "their-v3", 1, "NO"],
      ["y", "their-v3", 0, "NO"],
    ]);
    // A judge that exists keeps its version; the file's verdicts keep theirs, and the summary says
    // that the views will not show them (in the job's message too, on a line of its own).
    const other = await importFile(prisma, {
      path: fixture("versions2.csv", "question,reference,response,judge,verdict,template_version\nq,r,x,Outside 72B,NO,their-v4\nq,r,w,Outside 72B,NO,their-v3\n"),
      dataset: "versions",
    });
    const note = `1 verdict of judge "Outside 72B" is under template version "their-v4", not its current "their-v3": views show a judge's current version only; import them under a judge name of their own to see them.`;
    expect(other.notes).toEqual([note]);
    // Both rows are new: one adds a response, the other a verdict to a response there already.
    expect(other.message).toBe(`2 new, 0 already there, 0 rejected\n${note}`);
    expect((await prisma.judge.findUniqueOrThrow({ where: { id: judge.id } })).templateVersion).toBe("their-v3");
    expect(await prisma.judgment.count({ where: { judgeId: judge.id, templateVersion: "their-v4" } })).toBe(1);
    // A file without versions: its verdicts go under the judge's current version, which the views show.
    await importFile(prisma, { path: fixture("versions3.csv", "question,reference,response,judge,verdict\nq,r,z,Outside 72B,YES\n"), dataset: "versions" });
    expect(await prisma.judgment.count({ where: { judgeId: judge.id, templateVersion: "their-v3", response: { text: "z" } } })).toBe(1);
    // A new judge takes the version most of its verdicts have (a flat export lists older versions first).
    await importFile(prisma, {
      path: fixture("versions4.csv", "question,reference,response,judge,verdict,template_version\nq,r,x,Two versions,YES,old-v1\nq,r,x,Two versions,YES,new-v2\nq,r,y,Two versions,NO,new-v2\n"),
      dataset: "versions",
    });
    expect((await prisma.judge.findUniqueOrThrow({ where: { name: "Two versions" } })).templateVersion).toBe("new-v2");
    // Over the whole file, not its first batch: 2 rows of old-v1 in the first batch of 2, then 3 of new-v2.
    const dataset = await prisma.dataset.findUniqueOrThrow({ where: { name: "versions" } });
    const batchRows = ["old-v1", "old-v1", "new-v2", "new-v2", "new-v2"].map((templateVersion, i) => ({ line: i + 1, question: "q", reference: "r", response: `b${i}`, judge: "Batched", verdict: "YES", templateVersion }));
    const batched = await importItems(prisma, dataset.id, batchRows, { batchSize: 2 });
    expect(batched.notes).toEqual(['2 verdicts of judge "Batched" are under template version "old-v1", not its current "new-v2": views show a judge\'s current version only; import them under a judge name of their own to see them.']);
    expect((await prisma.judge.findUniqueOrThrow({ where: { name: "Batched" } })).templateVersion).toBe("new-v2");
    expect((await prisma.judgeRun.findFirstOrThrow({ where: { judge: { name: "Batched" } } })).templateVersion).toBe("new-v2");
  });

  it("imports no label in another studio user's name: not as labels, not with items; the importer's own id goes", async () => {
    const expert = await prisma.user.create({ data: { id: "u-expert-1", name: "Expert", email: "e@example.test", role: "expert" } });
    const researcher = await prisma.user.create({ data: { id: "u-researcher-1", name: "Researcher", email: "r@example.test", role: "researcher" } });
    await importFile(prisma, { path: fixture("base2.jsonl", jsonl({ question: "q", reference: "r", response: "x" }, { question: "q", reference: "r", response: "y" })), dataset: "names" });
    const labels = fixture(
      "forged.jsonl",
      jsonl(
        { question: "q", response: "x", expert_label: "incorrect", annotator: expert.id },
        { question: "q", response: "x", expert_label: "correct", annotator: "outside annotator" },
        { question: "q", response: "y", expert_label: "correct", annotator: researcher.id },
      ),
    );
    // The preview says so first, as the import will.
    const preview = await previewFile({ path: labels, fileName: "forged.jsonl", kind: "labels", mapping: {}, importer: { sql: prismaSql(prisma), id: researcher.id } });
    expect(preview).toMatchObject({ scanned: 3, valid: 2, rejected: 1, rejects: [{ line: 1, field: "annotator" }] });
    expect(preview.rows.map((r) => r.line)).toEqual([2, 3]);
    const l = await importFile(prisma, { path: labels, dataset: "names", kind: "labels", actorId: researcher.id });
    expect(l).toMatchObject({ read: 3, inserted: 2 });
    expect(l.rejected).toEqual([{ line: 1, field: "annotator", reason: expect.stringContaining(`"${expert.id}" is a studio user's id`) }]);
    // From the command line (no importer), no user's id goes, not even a researcher's.
    const cli = await importFile(prisma, { path: fixture("forged-cli.jsonl", jsonl({ question: "q", response: "y", expert_label: "incorrect", annotator: researcher.id })), dataset: "names", kind: "labels" });
    expect(cli.rejected.map((r) => [r.line, r.field])).toEqual([[1, "annotator"]]);
    // Labels on the rows of an items import: the row is refused whole.
    const items = await importFile(prisma, {
      path: fixture("items-forged.jsonl", jsonl({ question: "q2", reference: "r", response: "z", expert_label: "correct", annotator: expert.id }, { question: "q3", reference: "r", response: "w", expert_label: "correct", annotator: "ann" })),
      dataset: "names",
    });
    expect(items).toMatchObject({ read: 2, inserted: 1, labelsInserted: 1 });
    expect(items.rejected.map((r) => [r.line, r.field])).toEqual([[1, "annotator"]]);
    expect(await prisma.expertLabel.findMany({ where: { annotator: expert.id } })).toEqual([]);
    expect((await prisma.expertLabel.findMany({ select: { annotator: true }, orderBy: { annotator: "asc" } })).map((x) => x.annotator)).toEqual(["ann", "outside annotator", researcher.id]);
    // strict: nothing at all
    const before = await prisma.expertLabel.count();
    const strict = await caught(importFile(prisma, { path: labels, dataset: "names", kind: "labels", actorId: researcher.id, strict: true }));
    expect(strict.message).toMatch(/1 bad line\(s\); nothing imported/);
    expect(await prisma.expertLabel.count()).toBe(before);
  });
});

describe("bad input", () => {
  it("reports truncated, invalid and non-UTF-8 lines with their numbers, and wrong types by field", async () => {
    const good = JSON.stringify({ question: "q", reference: "r", response: "x" });
    const text = Buffer.concat([
      Buffer.from(`${good}\n{"question": "q2", "reference": 5, "response": {"a": 1}}\n{not json}\n`),
      Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), // {"q\xff\xfe"} : not UTF-8
      Buffer.from(`{"question": "q3", "reference": "r", "sample_index": -1, "response": "z"}\n{"question": "q4", "reference": "r", "response": "w", "expert_label": "maybe"}\n`),
      Buffer.from(`{"question": "q5", "reference": "r"`), // truncated last line, no newline
    ]);
    const result = await importFile(prisma, { path: fixture("bad.jsonl", text), dataset: "bad" });
    expect(result).toMatchObject({ read: 7, inserted: 1 });
    expect(result.rejected.map((r) => ({ line: r.line, field: r.field }))).toEqual([
      { line: 2, field: "response" },
      { line: 3, field: "line" },
      { line: 4, field: "line" },
      { line: 5, field: "sample_index" },
      { line: 6, field: "expert_label" },
      { line: 7, field: "line" },
    ]);
    expect(result.rejected[2]!.reason).toBe("not valid UTF-8 text");
    expect(result.rejected[5]!.reason).toMatch(/truncated/);
  });

  it("rejects a missing reference and a CSV row with the wrong number of fields; strict imports nothing", async () => {
    const before = await snapshot();
    const file = fixture("refs.csv", 'question,reference,response\nq1,,x\nq2,r,y,extra\n"q3","r3","multi\nline"\n');
    const error = await caught(importFile(prisma, { path: file, dataset: "refs", strict: true }));
    expect(error.message).toMatch(/2 bad line\(s\); nothing imported/);
    expect(error.details).toEqual([
      { line: 2, field: "reference", reason: "missing reference answer" },
      { line: 3, field: "line", reason: "expected 3 fields, found 4" },
    ]);
    expect(await snapshot()).toEqual(before);
    const job = await prisma.importJob.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(job).toMatchObject({ status: "failed", rejected: 2, rowsRead: 3 });
  });

  it("keeps a 10 MB field whole", async () => {
    const big = "x".repeat(10 * 1024 * 1024) + "\nfinal";
    const result = await importFile(prisma, { path: fixture("big.jsonl", jsonl({ question: "q", reference: "r", response: big })), dataset: "big" });
    expect(result).toMatchObject({ inserted: 1 });
    const [row] = await prisma.$queryRaw<{ n: number; final_step: string }[]>`SELECT length(text) AS n, final_step FROM responses`;
    expect(row).toEqual({ n: big.length, final_step: "final" });
  });

  it("rejects a second use of an id with different content, in the file and across imports", async () => {
    const file = fixture("dups.jsonl", jsonl(
      { question_id: "Q1", question: "q", reference: "r", response_id: "R1", response: "x" },
      { question_id: "Q1", question: "q", reference: "r", response_id: "R1", response: "x" }, // same: already there
      { question_id: "Q1", question: "q", reference: "r", response_id: "R1", response: "DIFFERENT" },
      { question_id: "Q1", question: "other", reference: "r", response_id: "R2", response: "y" },
    ));
    const result = await importFile(prisma, { path: file, dataset: "dups" });
    expect(result).toMatchObject({ read: 4, inserted: 1, skipped: 1 });
    expect(result.rejected.map((r) => [r.line, r.field])).toEqual([[3, "response_id"], [4, "question_id"]]);
    expect(result.rejected[0]!.reason).toMatch(/used on line 1 with a different response/);
    const again = await importFile(prisma, { path: fixture("dups2.jsonl", jsonl({ question_id: "Q1", question: "q", reference: "CHANGED", response: "x" })), dataset: "dups" });
    expect(again.rejected).toEqual([{ line: 1, field: "question_id", reason: 'question id "Q1" is already in the dataset with a different question or reference' }]);
    // A response id already there with another text.
    const third = await importFile(prisma, {
      path: fixture("dups3.jsonl", jsonl({ question_id: "Q1", question: "q", reference: "r", response_id: "R1", response: "x, edited" })),
      dataset: "dups",
    });
    expect(third).toMatchObject({ inserted: 0, skipped: 0 });
    expect(third.rejected).toEqual([{ line: 1, field: "response_id", reason: 'response id "R1" is already in the dataset with a different response' }]);
    // The same ids with the same texts: nothing new, nothing rejected.
    const same = await importFile(prisma, { path: fixture("dups4.jsonl", jsonl({ question_id: "Q1", question: "q", reference: "r", response_id: "R1", response: "x" })), dataset: "dups" });
    expect(same).toMatchObject({ inserted: 0, skipped: 1, rejected: [] });
    const [count] = await prisma.$queryRaw<{ q: number; r: number }[]>`SELECT (SELECT count(*)::int FROM questions) AS q, (SELECT count(*)::int FROM responses) AS r`;
    expect(count).toEqual({ q: 1, r: 1 });
  });

  it("refuses a Parquet file without the needed columns, and files that are not what their name says", async () => {
    const before = await snapshot();
    const parquet = parquetWriteBuffer({ columnData: [{ name: "foo", data: ["a"], type: "STRING" }, { name: "bar", data: [1], type: "INT32" }] });
    const schema = await caught(importFile(prisma, { path: fixture("odd.parquet", Buffer.from(parquet)), dataset: "odd" }));
    expect(schema.message).toMatch(/no column for question, reference/);
    // it names the file's own columns, which the person has to map
    expect(schema.message).toContain("The file's columns: foo, bar; recognised: none");
    const csvNamedParquet = await caught(importFile(prisma, { path: fixture("fake.parquet", "question,reference\nq,r\n"), dataset: "odd" }));
    expect(csvNamedParquet.message).toMatch(/not a Parquet file \(it looks like CSV\)/);
    const parquetNamedJsonl = await caught(importFile(prisma, { path: fixture("fake.jsonl", Buffer.from(parquet)), dataset: "odd" }));
    expect(parquetNamedJsonl.message).toMatch(/is a Parquet file, not JSONL/);
    // Excel's "Unicode text": UTF-16 with its byte-order mark, and without it.
    for (const utf16 of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("question,reference\nq,r\n", "utf16le")]), Buffer.from("question,reference\nq,r\n", "utf16le")]) {
      const excel = await caught(importFile(prisma, { path: fixture("u16.csv", utf16), dataset: "odd" }));
      expect(excel.message).toBe('u16.csv is UTF-16 text (as Excel\'s "Unicode text" saves it): save it as UTF-8 ("CSV UTF-8" in Excel) and import that. Nothing was imported.');
    }
    const jsonNamedCsv = await caught(importFile(prisma, { path: fixture("fake.csv", jsonl({ question: "q" })), dataset: "odd" }));
    expect(jsonNamedCsv.message).toMatch(/looks like JSON lines, not CSV/);
    const brokenArray = await caught(importFile(prisma, { path: fixture("broken.json", '[{"question":"q","reference":"r"},{"question":'), dataset: "odd" }));
    expect(brokenArray.message).toMatch(/invalid JSON after record 1/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a mapping that names a column the file does not have, naming it (CSV at once, JSON lines once read)", async () => {
    const before = await snapshot();
    const csv = await caught(importFile(prisma, { path: fixture("typo.csv", "question,reference,response\nq,r,a\n"), dataset: "typo", mapping: { question: "prompt" } }));
    expect(csv.message).toBe('the mapping names "prompt" (as question), which the file does not have. The file\'s columns: question, reference, response. Nothing was imported.');
    const lines = await caught(
      importFile(prisma, { path: fixture("typo.jsonl", jsonl({ question: "q", reference: "r", response: "a" }, { question: "q2", reference: "r", response: "b" })), dataset: "typo", mapping: { subject: "topic" } }),
    );
    expect(lines.message).toBe('the mapping names "topic" (as subject), which no row of the file has. Nothing was imported.');
    expect(await snapshot()).toEqual(before);
    // A column some lines have is fine.
    const some = await importFile(prisma, { path: fixture("some.jsonl", jsonl({ question: "q", reference: "r", response: "a" }, { question: "q2", reference: "r", response: "b", topic: "t" })), dataset: "typo", mapping: { subject: "topic" } });
    expect(some).toMatchObject({ inserted: 2, rejected: [] });
  });

  it("says so when the rows are wrapped in one object ({\"data\": [...]}) rather than given as rows", async () => {
    const wrapped = await importFile(prisma, { path: fixture("wrapped.json", JSON.stringify({ data: [{ question: "q", reference: "r", response: "a" }] })), dataset: "wrapped" });
    expect(wrapped.rejected).toEqual([
      { line: 1, field: "data", reason: 'this is one object holding a list of rows under "data": import a file of the rows themselves, a JSON array ([{...}, {...}]) or one object per line' },
    ]);
    // A chat row with its messages only is a row (rejected for what it lacks, not as a wrapper).
    const chat = await importFile(prisma, { path: fixture("chat.jsonl", jsonl({ messages: [{ role: "user", content: "q" }] })), dataset: "wrapped" });
    expect(chat.rejected[0]!.reason).not.toContain("list of rows");
  });

  it("imports an empty file, a BOM-only file and a header-only CSV as nothing", async () => {
    for (const [name, content] of [["e.jsonl", ""], ["bom.jsonl", "\uFEFF"], ["h.csv", "question,reference\r\n"]] as const) {
      const result = await importFile(prisma, { path: fixture(name, content), dataset: "empty" });
      expect(result).toMatchObject({ read: 0, inserted: 0, rejected: [], message: "the file holds no rows: nothing to import" });
    }
    // No empty dataset is left behind by them, nor by a file whose every line is rejected.
    expect(await prisma.dataset.count({ where: { name: "empty" } })).toBe(0);
    const allBad = await importFile(prisma, { path: fixture("bad.jsonl", '{"question":"q"}\n{"reference":"r"}\n'), dataset: "all bad" });
    expect(allBad).toMatchObject({ read: 2, inserted: 0, datasetId: null });
    expect(allBad.rejected).toHaveLength(2);
    expect(await prisma.dataset.count({ where: { name: "all bad" } })).toBe(0);
  });
});

// The real EVOUNA NQ file (Wang et al. 2023), when the shared data folder is beside the project,
// with the mapping the README documents. Counts computed from the file with python3's json.load:
// 3,610 records; record 972 has no golden answer (its 4 answers go with it); 17,550 non-null
// answers - 4 = 17,546 responses; 15,434 non-null labels, less record 1987's label on a missing
// FiD answer = 15,433.
const EVOUNA = path.resolve("../shared/data/evouna/NQ.json");
describe.runIf(existsSync(EVOUNA))("EVOUNA NQ", () => {
  it("imports with the documented mapping, and a second time adds nothing", async () => {
    const options = {
      path: EVOUNA,
      dataset: "EVOUNA NQ",
      mapping: { question: "question", reference: "golden_answer", response: "answer_*", expert_label: "judge_*" },
      annotator: "evouna-human",
    };
    const first = await importFile(prisma, options);
    expect(first).toMatchObject({ read: 3610, questionsInserted: 3609, responsesInserted: 17546, labelsInserted: 15433 });
    expect(first.rejected).toEqual([
      { line: 972, field: "reference", reason: "missing reference answer" },
      { line: 1987, field: "expert_label", reason: "an expert label without a response" },
    ]);
    const [models] = await prisma.$queryRaw<{ models: string }[]>`SELECT string_agg(DISTINCT policy_model, ',' ORDER BY policy_model) AS models FROM responses`;
    expect(models!.models).toBe("chatgpt,fid,gpt35,gpt4,newbing");
    const again = await importFile(prisma, options);
    expect(again).toMatchObject({ inserted: 0, questionsInserted: 0, responsesInserted: 0, labelsInserted: 0 });
  }, 120_000);
});
