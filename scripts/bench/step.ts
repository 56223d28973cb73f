// One measured step of a benchmark, in a process of its own so that its peak RSS is its own:
//   tsx scripts/bench/step.ts <step> <json args>
// prints one JSON line: { seconds, rows, peakRssMb, ... }.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createPrismaClient } from "../../lib/db/client";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { createExport, runExport } from "../../lib/io/export/run";
import { importFile } from "../../lib/io/import-file";
import { readJsonLines } from "../../lib/io/text-lines";
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

const STEPS: Record<string, (a: TArgs) => Promise<{ rows: number; seconds?: number }>> = { copy: copyReference, import: importStep, embedded: embeddedImport, export: exportStep };

const [step, json] = process.argv.slice(2);
const started = performance.now();
const result = await STEPS[step!]!(JSON.parse(json!) as TArgs);
const seconds = result.seconds ?? (performance.now() - started) / 1000;
console.log(JSON.stringify({ ...result, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), baseRssMb: Math.round(baseRss / 2 ** 20) }));
