// `npm run seed:scale -- --responses 1000000`: a synthetic dataset at scale for the analytics
// views and their benchmark (scripts/scale/synthetic.ts tells what is in it), written through the
// studio's bulk import path: lib/io importItems for questions and responses, lib/io/import-by-id
// for judgments and expert labels. Uses DATABASE_URL, else the embedded database (slow at 1M).
//   --responses N     total responses (default 1,000,000)
//   --per-question K  responses per question (default 5; 1M -> 200k questions)
//   --dataset NAME    dataset name (default "scale-<N>"); refuses an existing one
//   --seed S          random seed (default 1): the same seed gives the same data
import { parseArgs } from "node:util";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { importItems, type TItemRow } from "../lib/io/import-items";
import { importJudgmentsById, importLabelsById, type TJudgmentByIdRow, type TLabelByIdRow } from "../lib/io/import-by-id";
import { resolveDatabase } from "../lib/setup/runtime";
import { JUDGE_72B, JUDGE_7B, judgments, labels, question, response } from "./scale/synthetic";

const CHUNK = 10_000;

function options() {
  const { values } = parseArgs({
    options: {
      responses: { type: "string", default: "1000000" },
      "per-question": { type: "string", default: "5" },
      dataset: { type: "string" },
      seed: { type: "string", default: "1" },
    },
  });
  const responses = Number(values.responses);
  const perQuestion = Number(values["per-question"]);
  const seed = Number(values.seed);
  if (!Number.isInteger(responses) || responses < 1) throw new Error("--responses must be a whole number >= 1");
  if (!Number.isInteger(perQuestion) || perQuestion < 1 || perQuestion > 64) throw new Error("--per-question must be between 1 and 64");
  if (!Number.isInteger(seed)) throw new Error("--seed must be a whole number");
  return { responses, perQuestion, seed, dataset: values.dataset ?? `scale-${responses}` };
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const progress = (label: string, done: number, total: number, since: number) =>
  process.stderr.write(`\r${label}: ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} (${seconds(since)})   `);

function* itemRows(seed: number, responses: number, perQuestion: number): Generator<TItemRow> {
  for (let i = 0; i < responses; i++) {
    const q = Math.floor(i / perQuestion);
    const meta = question(seed, q);
    const r = response(seed, q, i % perQuestion);
    yield {
      line: i + 1,
      question: meta.text,
      reference: meta.reference,
      questionExternalId: meta.externalId,
      subject: meta.subject,
      language: "en",
      response: r.text,
      policyModel: meta.policyModel,
      sampleIndex: r.sample,
      responseExternalId: `${meta.externalId}-s${r.sample}`,
    };
  }
}

async function upsertJudge(prisma: PrismaClient, judge: { name: string; sizeLabel: string }) {
  return prisma.judge.upsert({
    where: { name: judge.name },
    create: { ...judge, kind: "external", description: "synthetic judge of the scale seed" },
    update: {},
  });
}

async function main() {
  const o = options();
  const database = await resolveDatabase({ serve: false });
  const prisma = createPrismaClient(database.url, 2);
  const started = Date.now();
  try {
    await migrate(database.url);
    if (await prisma.dataset.findUnique({ where: { name: o.dataset } })) {
      throw new Error(`dataset "${o.dataset}" exists already: delete it or pass --dataset <another name>`);
    }
    const dataset = await prisma.dataset.create({
      data: { name: o.dataset, description: `Synthetic scale dataset: ${o.responses.toLocaleString("en-US")} responses, ${o.perQuestion} per question, seed ${o.seed}.` },
    });
    console.log(`dataset "${o.dataset}" (id ${dataset.id})`);

    let since = Date.now();
    const items = await importItems(prisma, dataset.id, itemRows(o.seed, o.responses, o.perQuestion), {
      batchSize: 5000,
      onProgress: (s) => progress("questions and responses", s.read, o.responses, since),
    });
    console.log(`\n  ${items.questionsInserted} questions, ${items.responsesInserted} responses, ${items.rejected.length} rejected (${seconds(since)})`);
    // The judgments below read the responses by keyset pages: with the statistics of an empty
    // table the planner picks a bitmap scan of every later response for each page (seconds each).
    await prisma.$executeRawUnsafe("ANALYZE questions, responses");

    const [large, small] = [await upsertJudge(prisma, JUDGE_72B), await upsertJudge(prisma, JUDGE_7B)];
    const runs = await Promise.all(
      [large, small].map((j) => prisma.judgeRun.create({ data: { judgeId: j.id, datasetId: dataset.id, source: "import", status: "running", startedAt: new Date() } })),
    );

    // Judgments by keyset pages of the dataset's responses; labels are collected (about 5% of
    // a page) and written at the end in one transaction with their gold labels.
    since = Date.now();
    const labelRows: TLabelByIdRow[] = [];
    const counts = { large: 0, small: 0, rejected: 0 };
    for (let after = 0, done = 0; ; ) {
      const page = await prisma.$queryRaw<{ id: number; q: string; sample: number; length: number }[]>`
        SELECT r.id, q.external_id AS q, r.sample_index AS sample, r.text_length AS length
        FROM responses r JOIN questions q ON q.id = r.question_id
        WHERE r.dataset_id = ${dataset.id} AND r.id > ${after} ORDER BY r.id LIMIT ${CHUNK}`;
      if (page.length === 0) break;
      const largeRows: TJudgmentByIdRow[] = [];
      const smallRows: TJudgmentByIdRow[] = [];
      for (const row of page) {
        const q = Number(row.q.slice(1));
        const { isCorrect } = response(o.seed, q, row.sample);
        const j = judgments(o.seed, q, row.sample, row.length, isCorrect);
        largeRows.push({ line: row.id, responseId: row.id, ...j.large });
        for (const s of j.small) smallRows.push({ line: row.id, responseId: row.id, ...s });
        for (const l of labels(o.seed, q, row.sample, isCorrect)) labelRows.push({ line: row.id, responseId: row.id, ...l });
      }
      const [a, b] = await Promise.all([
        importJudgmentsById(prisma, { datasetId: dataset.id, judgeId: large.id, runId: runs[0]!.id }, largeRows),
        importJudgmentsById(prisma, { datasetId: dataset.id, judgeId: small.id, runId: runs[1]!.id }, smallRows),
      ]);
      counts.large += a.inserted;
      counts.small += b.inserted;
      counts.rejected += a.rejected.length + b.rejected.length;
      after = page.at(-1)!.id;
      done += page.length;
      progress("judgments", done, items.responsesInserted + items.skipped, since);
    }
    console.log(`\n  ${counts.large} judgments by ${large.name}, ${counts.small} by ${small.name}, ${counts.rejected} rejected (${seconds(since)})`);
    await Promise.all(
      runs.map((run, i) => prisma.judgeRun.update({ where: { id: run.id }, data: { status: "completed", finishedAt: new Date(), total: i ? counts.small : counts.large, done: i ? counts.small : counts.large } })),
    );

    since = Date.now();
    const labelSummary = await prisma.$transaction((tx) => importLabelsById(tx, { datasetId: dataset.id, importedById: null }, labelRows), { timeout: 600_000 });
    console.log(`  ${labelSummary.inserted} expert labels, ${labelSummary.rejected.length} rejected (${seconds(since)})`);

    // Fresh statistics for the planner and a visibility map for index-only scans (autovacuum
    // would get there too, later).
    since = Date.now();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const table of ["questions", "responses", "judgments", "expert_labels"]) await client.query(`VACUUM (ANALYZE) ${table}`);
    } finally {
      await client.end();
    }
    console.log(`  vacuum analyze (${seconds(since)})`);
    console.log(`done in ${seconds(started)}`);
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

main().catch((error) => {
  process.stderr.write("\n");
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
