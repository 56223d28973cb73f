// `npm run bench:import`: imports 1M responses (200k questions x 5) generated in the released
// RLVR format (query/label rows, each with its 5 rollouts) and as generic JSONL (one row per
// response), into a throwaway database on the Postgres server of DATABASE_URL, and measures in
// the same run a plain COPY of the same rows into an unindexed table, the reference, and the floor
// the studio's tables set (the same rows COPYed straight into them, with their indexes, foreign
// key and triggers: what an import cannot beat on this schema). Each step
// runs in its own process (scripts/bench/step.ts), so its peak RSS is its own. Then the embedded
// database's rate on the first 50k responses. BENCH_QUESTIONS=20000 for a quick run.
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { fmt, random, step, throwawayDatabase } from "./common";

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 200_000);
const K = 5;
const WORDS = "the of and a to in is that for it as was with be by on not he this are or his from at which but have an they you were".split(" ");

function text(next: () => number, words: number) {
  let out = "";
  for (let i = 0; i < words; i++) out += (i ? " " : "") + WORDS[Math.floor(next() * WORDS.length)];
  return out;
}

async function generate(dir: string, sampleSize: number) {
  const next = random(1);
  const files = ["released", "generic", "sample"].map((name) => createWriteStream(path.join(dir, `${name}.jsonl`)));
  const [released, generic, sample] = files as [ReturnType<typeof createWriteStream>, ReturnType<typeof createWriteStream>, ReturnType<typeof createWriteStream>];
  const write = async (stream: ReturnType<typeof createWriteStream>, line: string) => {
    if (!stream.write(line)) await once(stream, "drain");
  };
  let n = 0;
  for (let q = 0; q < QUESTIONS; q++) {
    const question = `Q${q}: ${text(next, 20)}?`;
    const label = `${Math.floor(next() * 1000)}`;
    const responses = Array.from({ length: K }, () => `${text(next, 80)}\nThe answer is ${Math.floor(next() * 1000)}`);
    await write(released, JSON.stringify({ query: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: question }], label, responses }) + "\n");
    for (let k = 0; k < K; k++) {
      const line = JSON.stringify({ question, reference: label, response: responses[k], policy_model: "policy-7b", sample_index: k }) + "\n";
      await write(generic, line);
      if (n++ < sampleSize) await write(sample, line);
    }
  }
  for (const f of files) f.end();
  await Promise.all(files.map((f) => once(f, "finish")));
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-import-"));
  process.env.STUDIO_DATA_DIR = dir;
  const db = await throwawayDatabase("studio_bench_import");
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    console.log(`generating ${fmt(QUESTIONS)} questions x ${K} responses...`);
    await generate(dir, 50_000);
    const file = (name: string) => path.join(dir, `${name}.jsonl`);
    const copy = await step("copy", { url: db.url, file: file("generic") });
    const copyRate = copy.rows / copy.seconds;
    say(`COPY reference (unindexed table): ${fmt(copy.rows)} rows in ${copy.seconds.toFixed(1)} s = ${fmt(Math.round(copyRate))} rows/s, peak RSS ${copy.peakRssMb} MB`);
    const floor = await step("floor", { url: db.url, file: file("generic") });
    const floorRate = floor.rows / floor.seconds;
    say(
      `floor, the same rows prepared beforehand and COPYed into the studio's tables (indexes, foreign key, triggers: the database's work alone): ` +
        `${fmt(floor.rows)} rows in ${floor.seconds.toFixed(1)} s = ${fmt(Math.round(floorRate))} rows/s, ratio to COPY ${(floorRate / copyRate).toFixed(2)}`,
    );
    for (const name of ["released", "generic"]) {
      const r = await step<{ responses: number; questions: number }>("import", { url: db.url, file: file(name), dataset: name });
      const rate = r.responses / r.seconds;
      say(
        `import ${name}: ${fmt(r.responses)} responses (${fmt(r.questions)} questions) in ${r.seconds.toFixed(1)} s = ${fmt(Math.round(rate))} rows/s, ` +
          `ratio to COPY ${(rate / copyRate).toFixed(2)}, to the floor ${(rate / floorRate).toFixed(2)}, peak RSS ${r.peakRssMb} MB`,
      );
    }
    const again = await step<{ inserted: number; skipped: number }>("import", { url: db.url, file: file("generic"), dataset: "generic" });
    say(`re-import generic (idempotent: ${fmt(again.inserted)} new, ${fmt(again.skipped)} already there) in ${again.seconds.toFixed(1)} s, peak RSS ${again.peakRssMb} MB`);
    const e = await step<{ responses: number }>("embedded", { file: file("sample") });
    say(`embedded database: ${fmt(e.responses)} responses in ${e.seconds.toFixed(1)} s = ${fmt(Math.round(e.responses / e.seconds))} rows/s`);
    console.log(`\n${lines.join("\n")}`);
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
