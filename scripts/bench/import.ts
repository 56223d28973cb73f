// `npm run bench:import`: imports 1M responses (200k questions x 5) generated in the released
// RLVR format (query/label rows, each with its 5 rollouts) and as generic JSONL (one row per
// response), into a throwaway database on the Postgres server of DATABASE_URL, and measures in
// the same run a plain COPY of the same rows into an unindexed table, the reference. Prints
// rows/s, peak RSS and the ratio; then the embedded database's rate on a 50k-response sample.
// BENCH_QUESTIONS=20000 for a quick run.
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createPrismaClient } from "../../lib/db/client";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { importFile } from "../../lib/io/import-file";
import { readJsonLines } from "../../lib/io/text-lines";
import { escapeCopy, fmt, measure, random, rate, throwawayDatabase } from "./common";

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 200_000);
const K = 5;
const WORDS = "the of and a to in is that for it as was with be by on not he this are or his from at which but have an they you were".split(" ");

function text(next: () => number, words: number) {
  let out = "";
  for (let i = 0; i < words; i++) out += (i ? " " : "") + WORDS[Math.floor(next() * WORDS.length)];
  return out;
}

async function generate(dir: string) {
  const next = random(1);
  const released = createWriteStream(path.join(dir, "released.jsonl"));
  const generic = createWriteStream(path.join(dir, "generic.jsonl"));
  const write = async (stream: ReturnType<typeof createWriteStream>, line: string) => {
    if (!stream.write(line)) await once(stream, "drain");
  };
  for (let q = 0; q < QUESTIONS; q++) {
    const question = `Q${q}: ${text(next, 20)}?`;
    const label = `${Math.floor(next() * 1000)}`;
    const responses = Array.from({ length: K }, () => `${text(next, 80)}\nThe answer is ${Math.floor(next() * 1000)}`);
    await write(released, JSON.stringify({ query: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: question }], label, responses }) + "\n");
    for (let k = 0; k < K; k++) await write(generic, JSON.stringify({ question, reference: label, response: responses[k], policy_model: "policy-7b", sample_index: k }) + "\n");
  }
  released.end();
  generic.end();
  await Promise.all([once(released, "finish"), once(generic, "finish")]);
}

/** The reference: COPY of the generic file's rows (parsed the same way) into an unindexed table. */
async function copyReference(url: string, file: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE copy_reference (question text, reference text, response text, policy_model text, sample_index int)`);
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
  return rows;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-import-"));
  process.env.STUDIO_DATA_DIR = dir;
  const db = await throwawayDatabase("studio_bench_import");
  try {
    console.log(`generating ${fmt(QUESTIONS)} questions x ${K} responses...`);
    await generate(dir);
    const prisma = createPrismaClient(db.url, 3);
    const results: string[] = [];
    const copy = await measure(() => copyReference(db.url, path.join(dir, "generic.jsonl")));
    const copyRate = rate(copy.result, copy.seconds);
    results.push(`COPY reference (unindexed table): ${fmt(copy.result)} rows in ${copy.seconds.toFixed(1)} s = ${fmt(copyRate)} rows/s`);
    for (const name of ["released", "generic"]) {
      const run = await measure(() => importFile(prisma, { path: path.join(dir, `${name}.jsonl`), dataset: name, databaseUrl: db.url }));
      const responses = run.result.responsesInserted;
      const r = rate(responses, run.seconds);
      results.push(
        `import ${name}: ${fmt(responses)} responses (${fmt(run.result.questionsInserted)} questions) in ${run.seconds.toFixed(1)} s = ${fmt(r)} rows/s, ` +
          `ratio to COPY ${(r / copyRate).toFixed(2)}, peak RSS ${run.peakRssMb} MB`,
      );
      console.log(results.at(-1));
    }
    const again = await measure(() => importFile(prisma, { path: path.join(dir, "generic.jsonl"), dataset: "generic", databaseUrl: db.url }));
    results.push(`re-import generic (idempotent: ${fmt(again.result.inserted)} new, ${fmt(again.result.skipped)} already there) in ${again.seconds.toFixed(1)} s`);
    await prisma.$disconnect();

    // The embedded database (PGlite through its socket), on the first 50k responses.
    const sample = path.join(dir, "sample.jsonl");
    const out = createWriteStream(sample);
    let n = 0;
    for await (const item of readJsonLines(createReadStream(path.join(dir, "generic.jsonl")))) {
      if (!("record" in item) || n++ >= 50_000) break;
      out.write(JSON.stringify(item.record) + "\n");
    }
    out.end();
    await once(out, "finish");
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    await migrate(embedded.url);
    const eprisma = createPrismaClient(embedded.url, 1);
    const e = await measure(() => importFile(eprisma, { path: sample, dataset: "sample", databaseUrl: embedded.url }));
    results.push(`embedded database: ${fmt(e.result.responsesInserted)} responses in ${e.seconds.toFixed(1)} s = ${fmt(rate(e.result.responsesInserted, e.seconds))} rows/s`);
    await eprisma.$disconnect();
    await embedded.stop();
    console.log(`\n${results.join("\n")}`);
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
