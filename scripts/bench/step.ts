// One measured step of a benchmark, in a process of its own so that its peak RSS is its own:
//   tsx scripts/bench/step.ts <step> <json args>
// prints one JSON line: { seconds, rows, peakRssMb, ... }.
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { once } from "node:events";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createPrismaClient } from "../../lib/db/client";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { createExport, runExport } from "../../lib/io/export/run";
import { importFile } from "../../lib/io/import-file";
import { questionKey, responseKey } from "../../lib/io/keys";
import { readJsonLines } from "../../lib/io/text-lines";
import { codePoints } from "../../lib/io/validate-item";
import { extractFinalStep } from "../../lib/verifier/final-step";
import { escapeCopy } from "./common";

type TArgs = { url: string; file: string; dataset: string; options: unknown };

/** The reference: COPY of the generic file's rows (parsed the same way) into an unindexed table. */
async function copyReference({ url, file }: TArgs) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE IF NOT EXISTS copy_reference (question text, reference text, response text, policy_model text, sample_index int)`);
  let rows = 0;
  async function* lines() {
    let buffer = "";
    for await (const item of readJsonLines(createReadStream(file))) {
      if (!("record" in item)) continue;
      const r = item.record as Record<string, string | number>;
      buffer += `${escapeCopy(String(r.question))}\t${escapeCopy(String(r.reference))}\t${escapeCopy(String(r.response))}\t${escapeCopy(String(r.policy_model))}\t${r.sample_index}\n`;
      rows++;
      if (buffer.length > 1 << 16) {
        yield buffer;
        buffer = "";
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom("COPY copy_reference FROM STDIN")));
  await client.end();
  return { rows };
}

/**
 * The floor the studio's tables set: the generic file's rows COPYed into questions and responses
 * of a new dataset (their indexes, foreign key and triggers), with ids and identity keys as the
 * importer makes them. The COPY text is prepared into files first, untimed: the time is the
 * database's work alone, what an import cannot beat on this schema. Consecutive rows with one
 * question share it, as in the generated file.
 */
async function tablesFloor({ url, file }: TArgs) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: [dataset] } = await client.query<{ id: number }>(`INSERT INTO datasets (name) VALUES ('copy floor ' || clock_timestamp()) RETURNING id`);
  // Ids from the tables' sequences, as the importer takes them, 10,000 at a time.
  const blocks = new Map<string, number[]>();
  const next = async (sequence: string) => {
    let block = blocks.get(sequence);
    if (!block?.length) {
      block = (await client.query<{ id: number }>(`SELECT nextval('${sequence}')::int AS id FROM generate_series(1, 10000)`)).rows.map((r) => r.id).reverse();
      blocks.set(sequence, block);
    }
    return block.pop()!;
  };
  const questionsFile = `${file}.questions.copy`;
  const responsesFile = `${file}.responses.copy`;
  const questions = createWriteStream(questionsFile);
  const responses = createWriteStream(responsesFile);
  let rows = 0;
  let last = "";
  let questionId = 0;
  for await (const item of readJsonLines(createReadStream(file))) {
    if (!("record" in item)) continue;
    const r = item.record as Record<string, string | number>;
    const question = String(r.question);
    if (question !== last) {
      questionId = await next("questions_id_seq");
      last = question;
      const key = questionKey({ text: question, reference: String(r.reference) });
      if (!questions.write(`${questionId}\t${dataset!.id}\t${key}\t${escapeCopy(question)}\t${escapeCopy(String(r.reference))}\t{}\n`)) await once(questions, "drain");
    }
    const text = String(r.response);
    const key = responseKey({ policyModel: String(r.policy_model), sampleIndex: Number(r.sample_index), text });
    const line = `${await next("responses_id_seq")}\t${questionId}\t${dataset!.id}\t${key}\t${escapeCopy(String(r.policy_model))}\t${r.sample_index}\t${escapeCopy(text)}\t${escapeCopy(extractFinalStep(text))}\t${codePoints(text)}\t{}\n`;
    if (!responses.write(line)) await once(responses, "drain");
    rows++;
  }
  await Promise.all([questions, responses].map((s) => new Promise((resolve) => s.end(resolve))));
  const started = performance.now();
  await client.query("BEGIN");
  await pipeline(createReadStream(questionsFile), client.query(copyFrom("COPY questions (id, dataset_id, key, text, reference, metadata) FROM STDIN")));
  await pipeline(createReadStream(responsesFile), client.query(copyFrom("COPY responses (id, question_id, dataset_id, key, policy_model, sample_index, text, final_step, text_length, metadata) FROM STDIN")));
  await client.query("COMMIT");
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  rmSync(questionsFile);
  rmSync(responsesFile);
  return { rows, seconds };
}

/**
 * A Prisma client that has run its first query: that one loads Prisma's query compiler (about
 * 1.5 s and 50 MB on this machine), which the app's server pays once at start, not per job.
 */
async function warmPrisma(url: string) {
  const prisma = createPrismaClient(url, 2);
  await prisma.$queryRaw`SELECT 1`;
  baseRss = process.memoryUsage().rss;
  return prisma;
}

/** What the process holds before the step's work begins (Node, tsx and, when used, a warm Prisma client). */
let baseRss = process.memoryUsage().rss;

async function importStep({ url, file, dataset }: TArgs) {
  const prisma = await warmPrisma(url);
  const started = performance.now();
  try {
    const r = await importFile(prisma, { path: file, dataset, databaseUrl: url });
    return { rows: r.responsesInserted || r.skipped, responses: r.responsesInserted, questions: r.questionsInserted, inserted: r.inserted, skipped: r.skipped, seconds: (performance.now() - started) / 1000 };
  } finally {
    await prisma.$disconnect();
  }
}

async function embeddedImport({ file }: TArgs) {
  const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
  await migrate(embedded.url);
  const result = await importStep({ url: embedded.url, file, dataset: "sample", options: null });
  await embedded.stop();
  return result;
}

async function exportStep({ url, options }: TArgs) {
  const prisma = await warmPrisma(url);
  const started = performance.now();
  try {
    const row = await createExport(prisma, { options, actorId: null, source: "cli" });
    await runExport(prisma, url, row.id);
    const done = await prisma.export.findUniqueOrThrow({ where: { id: row.id } });
    if (done.status !== "completed") throw new Error(done.message);
    return { rows: done.rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    await prisma.$disconnect();
  }
}

const STEPS: Record<string, (a: TArgs) => Promise<{ rows: number; seconds?: number }>> = { copy: copyReference, floor: tablesFloor, import: importStep, embedded: embeddedImport, export: exportStep };

const [step, json] = process.argv.slice(2);
const started = performance.now();
const result = await STEPS[step!]!(JSON.parse(json!) as TArgs);
const seconds = result.seconds ?? (performance.now() - started) / 1000;
console.log(JSON.stringify({ ...result, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), baseRssMb: Math.round(baseRss / 2 ** 20) }));
