// `npm run bench:export`: a 160k-row distillation export and a 1M-row flat export from a
// throwaway database on the Postgres server of DATABASE_URL, each with, in the same run, a
// `COPY (SELECT <the same rows>) TO STDOUT` as the reference. Prints rows/s, peak RSS and the
// ratio. Each export's time starts with a warm Prisma client, as in the app's server. The data is generated in SQL (seeding is not what is measured). Each export runs in a
// process of its own (scripts/bench/step.ts), so its peak RSS is its own.
// BENCH_FLAT_RESPONSES=100000 for a quick run.
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { fmt, measure, rate, step, throwawayDatabase } from "./common";

const DISTIL = Number(process.env.BENCH_DISTIL_ROWS ?? 160_000);
const FLAT = Number(process.env.BENCH_FLAT_RESPONSES ?? 1_000_000);
const K = 4;

/** Questions with K responses each, every response judged by `judges` (verdicts from a hash). */
async function seed(client: pg.Client, name: string, responses: number, judges: number[]) {
  const { rows } = await client.query<{ id: number }>(`INSERT INTO datasets (name) VALUES ($1) RETURNING id`, [name]);
  const dataset = rows[0]!.id;
  const questions = Math.ceil(responses / K);
  await client.query(
    `INSERT INTO questions (dataset_id, key, text, reference)
     SELECT $1, 'q' || g, 'Question ' || g || ': ' || repeat('what is the value of the expression in the text ', 2), (g % 997)::text
     FROM generate_series(1, $2) g`,
    [dataset, questions],
  );
  await client.query(
    `INSERT INTO responses (question_id, dataset_id, key, policy_model, sample_index, text, final_step, text_length)
     SELECT q.id, $1, 'r' || s, 'policy-7b', s, repeat('some reasoning about the question goes here ', 12) || E'\\nThe answer is ' || (q.id % 997), 'The answer is ' || (q.id % 997), 560
     FROM questions q CROSS JOIN generate_series(0, ${K - 1}) s WHERE q.dataset_id = $1`,
    [dataset],
  );
  for (const judge of judges) {
    await client.query(
      `INSERT INTO judgments (response_id, judge_id, verdict, p_yes, raw_output)
       SELECT r.id, $2, CASE WHEN hashint4(r.id + $2) % 2 = 0 THEN 'YES'::verdict ELSE 'NO'::verdict END, 0.5, 'YES'
       FROM responses r WHERE r.dataset_id = $1`,
      [dataset, judge],
    );
    await client.query(`INSERT INTO judge_runs (judge_id, dataset_id, status, source) VALUES ($1, $2, 'completed', 'import')`, [judge, dataset]);
  }
  // VACUUM sets the rows' visibility hints once, so neither the reference nor the exports pays for it
  await client.query("VACUUM ANALYZE");
  return dataset;
}

async function copyOut(url: string, sql: string, params: unknown[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // COPY (query) TO STDOUT takes no parameters: the values are integers we made.
  const text = sql.replace(/\$(\d+)/g, (_, i) => String(Number(params[Number(i) - 1])));
  let bytes = 0;
  await pipeline(client.query(copyTo(`COPY (${text}) TO STDOUT`)), new Writable({ write(chunk, _e, done) { bytes += chunk.length; done(); } }));
  await client.end();
  return bytes;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-export-"));
  process.env.STUDIO_DATA_DIR = dir;
  const db = await throwawayDatabase("studio_bench_export");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const results: string[] = [];
  try {
    const teacher = (await client.query<{ id: number }>(`INSERT INTO judges (name, kind) VALUES ('teacher-72B', 'external') RETURNING id`)).rows[0]!.id;
    console.log(`seeding ${fmt(DISTIL)} + ${fmt(FLAT)} judged responses...`);
    const distil = await seed(client, "distil", DISTIL, [teacher]);
    const flat = await seed(client, "flat", FLAT, [teacher]);

    // The machine is shared: the reference runs right before and right after each export, and
    // the export is compared with the mean of the two.
    const against = async (label: string, sql: string, params: unknown[], rows: number, options: Record<string, unknown>) => {
      const before = await measure(() => copyOut(db.url, sql, params));
      const e = await step("export", { url: db.url, options });
      const after = await measure(() => copyOut(db.url, sql, params));
      const ref = rate(rows, (before.seconds + after.seconds) / 2);
      const r = rate(e.rows, e.seconds);
      results.push(
        `${label}: ${fmt(e.rows)} rows in ${e.seconds.toFixed(1)} s = ${fmt(r)} rows/s; COPY reference ${before.seconds.toFixed(1)} s / ${after.seconds.toFixed(1)} s = ${fmt(ref)} rows/s; ` +
          `ratio ${(r / ref).toFixed(2)}; peak RSS ${e.peakRssMb} MB (${e.baseRssMb} MB before the export)`,
      );
      console.log(results.at(-1));
    };
    const distilSql = `SELECT q.text, q.reference, r.text, j.verdict FROM judgments j JOIN responses r ON r.id = j.response_id JOIN questions q ON q.id = r.question_id WHERE j.judge_id = $1 AND r.dataset_id = $2 ORDER BY r.id`;
    const distillation = { kind: "distillation", datasetId: distil, teacherJudgeId: teacher, splits: { train: 0.9, validation: 0.05, test: 0.05 }, seed: 1 };
    await against("distillation export (JSONL + Parquet, 3 splits)", distilSql, [teacher, distil], DISTIL, distillation);
    await against("distillation export (JSONL only, 3 splits)", distilSql, [teacher, distil], DISTIL, { ...distillation, parquet: false });

    const flatSql = `SELECT r.id, q.id, q.external_id, r.external_id, q.text, q.reference, q.subject, q.language, r.text, r.final_step, r.policy_model, r.sample_index, r.gold_label, j.name, j.size_label, jd.template_version, jd.sample, jd.verdict, jd.p_yes, jd.p_no, jd.soft_reward, jd.raw_output, jd.error, jd.latency_ms, jd.prompt_tokens, jd.completion_tokens, jd.created_at FROM responses r JOIN questions q ON q.id = r.question_id JOIN judgments jd ON jd.response_id = r.id JOIN judges j ON j.id = jd.judge_id WHERE r.dataset_id = $1 ORDER BY r.id, jd.judge_id`;
    await against("flat export (CSV)", flatSql, [flat], FLAT, { kind: "flat", datasetId: flat, format: "csv" });
    // without the spreadsheet guard (a CASE per text cell): what the guard costs
    await against("flat export (CSV, exact texts)", flatSql, [flat], FLAT, { kind: "flat", datasetId: flat, format: "csv", spreadsheetSafe: false });
    await against("flat export (JSONL)", flatSql, [flat], FLAT, { kind: "flat", datasetId: flat, format: "jsonl" });
    console.log(`\n${results.join("\n")}`);
  } finally {
    await client.end();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
