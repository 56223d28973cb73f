// The server makes (most of) the export lines (values JSON-escaped by to_json, CSV by COPY):
// these tests hold them to the TypeScript definitions on inputs chosen to break them
// (placeholders inside values, unicode, line breaks of every kind, quotes, backslashes, control
// characters, empty final steps, a field longer than many COPY chunks), and check that both
// transports (COPY on a server, the cursor of the embedded database) give the same bytes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { extractFinalStep } from "@/lib/verifier/final-step";
import { DEFAULT_SYSTEM_MESSAGE, PAPER_TEMPLATE, fillTemplate } from "@/lib/verifier/template";
import { createPrismaClient } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { importFile } from "../import-file";
import { copyCsv } from "./copy-out";
import { rawRows, type TRawRow } from "./cursor";
import { DISTILLATION_FIELDS as D, distillationLine, distillationMessages, distillationQuery } from "./distillation";
import { FLAT_COLUMNS, flatJsonQuery, flatQuery } from "./flat";
import { ZDistillationOptions, ZFlatOptions, ZRlvrOptions } from "./options";
import { RLVR_FIELDS as R, rlvrQuery } from "./rlvr";
import { distillationPrompt } from "./template";
import { createExport, runExport } from "./run";
import { csvLine } from "./writers";

const prisma = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "export-exact-"));
process.env.STUDIO_DATA_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const long = `${"a long line of reasoning with \\ and \" and ünïcödé 😀 ".repeat(60_000)}\nthe end`;
const items: { question: string; reference: string; response: string }[] = [
  { question: "Is {reference} a placeholder? $1 $& $$", reference: "{question} and {response}", response: "I think {reference} is it\n{question}" },
  { question: "東京はどこ？ 🎌", reference: "Ответ «x» — ok", response: "Ответ: 東京 🎌\r\nfinal: «x» — ok 😀" },
  { question: 'Say "hi", \\ please', reference: 'a "quoted", \\backslashed\\ answer', response: 'He said "quote" and \\backslash\\ and \\n literal\n\tTabbed\t answer \\' },
  { question: "empty response", reference: "x", response: "" },
  { question: "whitespace response", reference: "x", response: "   \n \t \n" },
  { question: "carriage returns", reference: "line2", response: "line1\rline2\r\r" },
  { question: "control\u0001characters\u001f\u007f", reference: "\u0008\u000c", response: "control \u0001\u001f\u007f chars\nlast \u2028 sep \u00a0" },
  { question: "unicode spaces end a line", reference: "answer", response: "answer\n\u00a0\u2028\n\ufeff" },
  { question: "json inside", reference: '{"a":1}', response: '{"messages":[1,2]}\n</s>' },
  { question: "a long response", reference: "the end", response: long },
];

let datasetId = 0;
let teacher = { id: 0, templateVersion: "" };
let client: pg.Client;
/** false when the tests' own server is the embedded database (then only the cursor path runs) */
const serverCopies = !inject("embeddedDatabase");

beforeAll(async () => {
  await resetDb();
  const file = path.join(dir, "items.jsonl");
  const records = items.map((item, i) => ({ ...item, policy_model: "p", sample_index: 0, judge: "T", verdict: i % 2 === 0 ? "YES" : "NO", raw_output: item.reference }));
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const imported = await importFile(prisma, { path: file, dataset: "exact" });
  expect(imported.rejected).toEqual([]);
  datasetId = imported.datasetId!;
  teacher = await prisma.judge.findFirstOrThrow({ where: { name: "T" }, select: { id: true, templateVersion: true } });
  client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
});
afterAll(() => client?.end());

/**
 * `read` in a read-only snapshot on `client`, as withSnapshot runs an export (the cursor path
 * needs a transaction); committed after, since the embedded database serves one transaction at a
 * time and the other tests' queries would wait for it.
 */
async function inSnapshot<T>(read: () => Promise<T>): Promise<T> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    return await read();
  } finally {
    await client.query("COMMIT");
  }
}

/** Every row of `query` by both transports: they must agree byte for byte. */
function bothWays(query: Parameters<typeof rawRows>[1]): Promise<TRawRow[]> {
  return inSnapshot(() => bothWaysNow(query));
}

async function bothWaysNow(query: Parameters<typeof rawRows>[1]): Promise<TRawRow[]> {
  const all = async (canCopy: boolean) => {
    const rows: TRawRow[] = [];
    for await (const batch of rawRows({ client, canCopy }, query)) rows.push(...batch);
    return rows;
  };
  const byCursor = await all(false);
  if (!serverCopies) return byCursor;
  const byCopy = await all(true);
  expect(byCopy.length).toBe(byCursor.length);
  const same = (a: TRawRow, b: TRawRow) => a.length === b.length && a.every((f, j) => (f === null ? b[j] === null : b[j] !== null && f.equals(b[j]!)));
  for (let i = 0; i < byCopy.length; i++) expect(same(byCopy[i]!, byCursor[i]!), `row ${i}`).toBe(true);
  return byCopy;
}

const text = (b: Buffer | null | undefined) => b?.toString("utf8") ?? null;

describe("server-made export lines", () => {
  it("stores as final step exactly what extractFinalStep returns", async () => {
    const rows = await prisma.response.findMany({ where: { datasetId }, select: { text: true, finalStep: true } });
    expect(rows).toHaveLength(items.length);
    for (const r of rows) expect(r.finalStep).toBe(extractFinalStep(r.text));
    expect(rows.filter((r) => r.finalStep === "").length).toBe(2);
  });

  for (const variant of [
    { finalStepOnly: true, systemMessage: false },
    { finalStepOnly: false, systemMessage: true },
  ]) {
    it(`distillation lines are JSON.stringify of fillTemplate (final step only: ${variant.finalStepOnly}, system message: ${variant.systemMessage})`, async () => {
      const o = ZDistillationOptions.parse({ kind: "distillation", datasetId, teacherJudgeId: teacher.id, systemMessage: variant.systemMessage });
      const prompt = distillationPrompt({ settings: { finalStepOnly: variant.finalStepOnly } }, { systemMessage: variant.systemMessage });
      const rows = await bothWays(distillationQuery(o, teacher, prompt));
      const expected = items.map((item, i) => {
        const user = fillTemplate(PAPER_TEMPLATE, item, { finalStepOnly: variant.finalStepOnly });
        const messages = [
          ...(variant.systemMessage ? [{ role: "system", content: DEFAULT_SYSTEM_MESSAGE }] : []),
          { role: "user", content: user },
          { role: "assistant", content: i % 2 === 0 ? "YES" : "NO" },
        ];
        return { line: JSON.stringify({ messages }), user, messages };
      });
      const line = distillationLine(prompt);
      const messages = distillationMessages(prompt);
      const lines = rows.map((r) => Buffer.concat(line(r)).toString("utf8"));
      expect([...lines].sort()).toEqual(expected.map((e) => e.line).sort());
      // Every line parses back; the Parquet rows' messages are the line's.
      for (let i = 0; i < rows.length; i++) {
        const parquetMessages = messages(rows[i]!).map((m) => ({ role: m.role, content: m.content.toString("utf8") }));
        expect(JSON.parse(lines[i]!)).toEqual({ messages: parquetMessages });
        expect(JSON.parse(lines[i]!).messages.at(-1).content).toBe(text(rows[i]![D.target]));
      }
    });
  }

  it("RLVR lines are JSON.stringify of the released format", async () => {
    const o = ZRlvrOptions.parse({ kind: "rlvr", datasetId, systemPrompt: 'Think "step"\\by\nstep.' });
    const rows = await bothWays(rlvrQuery(o));
    const expected = items.map((item) =>
      JSON.stringify({ query: [{ role: "system", content: 'Think "step"\\by\nstep.' }, { role: "user", content: item.question }], label: item.reference }),
    );
    expect(rows.map((r) => text(r[R.line])!).sort()).toEqual(expected.sort());
    for (const r of rows) expect(JSON.parse(text(r[R.line])!).label).toBe(text(r[R.reference]));
  });

  it("flat CSV by COPY is byte for byte the cursor path's csvLine, and parses back to the values", async () => {
    const o = ZFlatOptions.parse({ kind: "flat", datasetId, format: "csv" });
    const { byCursor, byCopy } = await inSnapshot(async () => {
      let byCursor = csvLine([...FLAT_COLUMNS]);
      for await (const batch of rawRows({ client, canCopy: false }, flatQuery(o))) for (const row of batch) byCursor += csvLine(row.map(text));
      const chunks: Buffer[] = [];
      if (serverCopies) for await (const chunk of copyCsv(client, flatQuery(o))) chunks.push(chunk);
      return { byCursor, byCopy: serverCopies ? Buffer.concat(chunks).toString("utf8") : byCursor };
    });
    expect(byCopy).toBe(byCursor);
    const records = parse(byCopy, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.response).sort()).toEqual(items.map((i) => i.response).sort());
    expect(records.map((r) => r.final_step).sort()).toEqual(items.map((i) => extractFinalStep(i.response)).sort());
  });

  it("flat JSONL lines parse to every column", async () => {
    const o = ZFlatOptions.parse({ kind: "flat", datasetId, format: "jsonl" });
    const rows = await bothWays(flatJsonQuery(o));
    const records = rows.map((r) => JSON.parse(text(r[0])!) as Record<string, unknown>);
    for (const record of records) expect(Object.keys(record)).toEqual([...FLAT_COLUMNS]);
    expect(records.map((r) => r.question).sort()).toEqual(items.map((i) => i.question).sort());
    expect(records.map((r) => r.raw_output).sort()).toEqual(items.map((i) => i.reference).sort());
    expect(records.every((r) => typeof r.studio_response_id === "number" && r.verdict !== undefined)).toBe(true);
  });

  // (Where the tests' own server is the embedded database, there is no server to compare with.)
  it.skipIf(!serverCopies)("the embedded database writes the same files as the server", async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    const other = createPrismaClient(embedded.url, 1);
    try {
      await migrate(embedded.url);
      const file = path.join(dir, "items.jsonl");
      const there = await importFile(other, { path: file, dataset: "exact", databaseUrl: embedded.url });
      const judge = await other.judge.findFirstOrThrow({ where: { name: "T" }, select: { id: true } });
      // the one column that differs between the two imports: when they ran
      for (const db of [prisma, other]) await db.$executeRaw`UPDATE judgments SET created_at = '2026-01-02T03:04:05.678Z'`;
      const kinds = (d: number, t: number) => [
        { kind: "distillation", datasetId: d, teacherJudgeId: t, splits: { train: 0.5, validation: 0.25, test: 0.25 }, seed: 3 },
        { kind: "distillation", datasetId: d, teacherJudgeId: t, systemMessage: true, parquet: false },
        { kind: "rlvr", datasetId: d, splits: { train: 0.5, validation: 0.5, test: 0 } },
        { kind: "flat", datasetId: d, format: "csv" },
        { kind: "flat", datasetId: d, format: "jsonl" },
      ];
      const files = async (db: typeof prisma, url: string, options: Record<string, unknown>) => {
        const row = await createExport(db, { options, actorId: null, source: "cli" });
        await runExport(db, url, row.id);
        const done = await db.export.findUniqueOrThrow({ where: { id: row.id } });
        expect(done.status, done.message).toBe("completed");
        const manifest = done.manifest as { files: { name: string; sha256: string; rows: number }[]; counts: unknown };
        return { files: manifest.files, counts: manifest.counts };
      };
      const here = kinds(datasetId, teacher.id);
      const onEmbedded = kinds(there.datasetId!, judge.id);
      for (let i = 0; i < here.length; i++) {
        const a = await files(prisma, inject("databaseUrl"), here[i]!);
        const b = await files(other, embedded.url, onEmbedded[i]!);
        expect(b, JSON.stringify(here[i])).toEqual(a);
      }
    } finally {
      await other.$disconnect();
      await embedded.stop();
    }
  }, 180_000);
});
