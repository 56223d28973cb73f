// `npm run bench:analytics`: server-side time of each analytics view and of judgments-list pages
// on a real Postgres holding the scale seed (`npm run seed:scale`), with the indexes each plan
// uses. Prints markdown for docs/benchmarks.md.
//   DATABASE_URL        the database (required; the embedded one is not what this measures)
//   --dataset NAME      dataset (default: the one with the most responses)
//   --runs N            runs per list page (default 20; p50 and p95 are printed)
//   --only views|pages  one half only
// Views are timed cold (computed from nothing: every query run over the whole dataset, no stored
// snapshot or part used), after one expert label and after one re-judged item (the first visit
// after a small change: the views that keep parts per chunk of responses, lib/stats/partials.ts,
// recompute the touched chunk only; a figure that reads no labels keeps its snapshot after a
// label; the others recompute everything) and warm (served from their snapshot); the views that
// share the dataset profile also with only their own part from nothing, the profile stored (what
// another pair or batch size costs after the first visit). Each figure comes
// with its ratio to a reference measured in the same run:
// counting the dataset's responses (an index-only pass over them); cold ones also with the CPU time
// the database spent on them, which a shared machine's load inflates far less than elapsed time.
// Last, each view as its page serves it when the figures must be computed from nothing and earlier
// ones are stored (lib/stats/budget.ts, STUDIO_ANALYTICS_BUDGET_MS): what a visitor waits for, and
// when the new figures are ready.
import { readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../lib/db/generated/client";
import { setDb } from "../../lib/db/client";
import { migrate } from "../../lib/db/migrate";
import { importLabelsById } from "../../lib/io/import-by-id";
import { judgmentPageSql, judgeColumns, listJudgments, countJudgments, type TJudgeColumn } from "../../lib/judgments/queries";
import type { TJudgmentFilters } from "../../lib/judgments/filters";
import { agreementMatrix, pairBreakdown, ratersOf } from "../../lib/stats/agreement-queries";
import { judgeCalibration } from "../../lib/stats/calibration-queries";
import { judgeConsistency } from "../../lib/stats/consistency-queries";
import { expertAgreement } from "../../lib/stats/expert-queries";
import { datasetCounts, datasetFacets } from "../../lib/stats/overview-queries";
import { judgeQualityTable } from "../../lib/stats/quality-queries";
import { rewardNormalisation, rewardOverview } from "../../lib/stats/reward-queries";
import { AGGREGATION_SETTINGS } from "../../lib/stats/snapshot";
import { computationUnderWay, withinBudget } from "../../lib/stats/budget";

// ---------------------------------------------------------------------------------------------
// Every statement the views send is recorded, to EXPLAIN it afterwards with the same parameters.

type TStatement = { text: string; values: unknown[] };
const recorder = { on: false, statements: [] as TStatement[] };

class RecordingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config] = args;
    if (recorder.on && typeof config === "object" && config !== null && "text" in config) {
      recorder.statements.push({ text: String((config as { text: unknown }).text), values: ((config as { values?: unknown[] }).values ?? []) as unknown[] });
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

const isBookkeeping = (sql: string) => /analytics_(changes|snapshots)|set_config\(|^\s*(SET|BEGIN|COMMIT|ROLLBACK)/i.test(sql);

type TPlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: TPlanNode[] };

function scans(node: TPlanNode, out = new Set<string>()): Set<string> {
  if (node["Relation Name"] || node["Index Name"]) {
    out.add(`${node["Node Type"]}${node["Index Name"] ? ` using ${node["Index Name"]}` : ""}${node["Relation Name"] ? ` on ${node["Relation Name"]}` : ""}`);
  }
  for (const child of node.Plans ?? []) scans(child, out);
  return out;
}

/** The scans of each statement's plan, planned with the settings the analytics transactions use (`settings`). */
async function planScans(pool: pg.Pool, statements: TStatement[], settings?: string): Promise<string[]> {
  const all = new Set<string>();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    if (settings) await client.query(settings);
    for (const s of statements) {
      if (isBookkeeping(s.text)) continue;
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: TPlanNode }] }>({ text: `EXPLAIN (FORMAT JSON) ${s.text}`, values: s.values });
      for (const scan of scans(rows[0]!["QUERY PLAN"][0].Plan)) all.add(scan);
    }
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
  return [...all].sort();
}

// ---------------------------------------------------------------------------------------------
// The CPU time the database spent (user + system), which the machine's load does not inflate the
// way it inflates elapsed time: summed over the backends of this database, read from /proc when
// the server runs on this machine (null otherwise). Without parallel workers (the analytics
// transactions use none) every backend that worked is still there to be read.

type TCpu = Map<number, number>;

async function databaseCpu(pool: pg.Pool): Promise<TCpu | null>;
async function databaseCpu(pool: pg.Pool, since: TCpu | null): Promise<number | null>;
async function databaseCpu(pool: pg.Pool, since?: TCpu | null): Promise<TCpu | number | null> {
  const { rows } = await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  const now: TCpu = new Map();
  try {
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      // utime and stime, in clock ticks (100 per second on Linux)
      now.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
  } catch {
    return null;
  }
  if (since === undefined) return now;
  if (since === null) return null;
  let total = 0;
  for (const [pid, cpu] of now) total += cpu - (since.get(pid) ?? 0);
  return total;
}

const ms = (start: number) => performance.now() - start;
const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const median = (xs: number[]) => percentile(xs, 50);

async function main() {
  const { values } = parseArgs({ options: { dataset: { type: "string" }, runs: { type: "string", default: "20" }, only: { type: "string" } } });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("set DATABASE_URL to the Postgres database holding the scale seed (npm run seed:scale)");
  const runs = Number(values.runs);
  await migrate(url);
  // Connections stay open (no idle timeout) so that the database CPU of a view is read from
  // backends that live through it.
  const pool = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 0, Client: RecordingClient });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  setDb(prisma);

  const [dataset] = values.dataset
    ? await prisma.$queryRaw<{ id: number; name: string; n: number }[]>`SELECT d.id, d.name, (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id) AS n FROM datasets d WHERE d.name = ${values.dataset}`
    : await prisma.$queryRaw<{ id: number; name: string; n: number }[]>`SELECT d.id, d.name, count(*)::int AS n FROM datasets d JOIN responses r ON r.dataset_id = d.id GROUP BY d.id ORDER BY n DESC LIMIT 1`;
  if (!dataset) throw new Error("no dataset: run npm run seed:scale first");
  const columns = await judgeColumns(dataset.id);
  const [judgeA, judgeB] = columns;
  if (!judgeA || !judgeB) throw new Error("the dataset needs two judges");
  const { rows: server } = await pool.query<{ version: string; work_mem: string; shared_buffers: string }>(
    "SELECT version(), current_setting('work_mem') AS work_mem, current_setting('shared_buffers') AS shared_buffers",
  );

  const reference = async () => {
    const t = performance.now();
    await prisma.$queryRaw`SELECT count(*) FROM responses WHERE dataset_id = ${dataset.id}`;
    return ms(t);
  };
  await reference();
  const refTimes = [await reference(), await reference(), await reference()];
  const ref = median(refTimes);

  console.log(`## bench:analytics — ${dataset.name} (${dataset.n.toLocaleString("en-US")} responses)\n`);
  console.log(`- ${new Date().toString()}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`- ${server[0]!.version.split(",")[0]}; server work_mem ${server[0]!.work_mem} (views raise it to 64MB per transaction), shared_buffers ${server[0]!.shared_buffers}`);
  console.log(`- reference: count of the dataset's responses, ${fmt(ref)} (median of 3)\n`);

  const ctx: TContext = { pool, prisma, dataset, columns, judgeA, judgeB, ref, runs };
  if (values.only !== "pages") await benchViews(ctx);
  if (values.only !== "views") await benchPages(ctx);
  console.log(`\n(load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")})`);
  await prisma.$disconnect();
  await pool.end();
}

type TContext = {
  pool: pg.Pool;
  prisma: PrismaClient;
  dataset: { id: number; name: string; n: number };
  columns: TJudgeColumn[];
  judgeA: TJudgeColumn;
  judgeB: TJudgeColumn;
  /** the reference time, ms */
  ref: number;
  runs: number;
};

/** Views: what each page computes, cold (fresh) and warm (snapshot). */
async function benchViews({ pool, prisma, dataset, columns, judgeA, ref }: TContext) {
  const raters = ratersOf(columns);
  const subject = (await datasetFacets(dataset.id)).value.subjects[0];
  // `shared`: computed from nothing also for what the view shares with others (the dataset
  // profile behind the agreement matrix and the reward overview); `own`: for the rest of it.
  type TFresh = { shared: boolean; own: boolean };
  const views: [name: string, run: (f: TFresh) => Promise<unknown>, sharesProfile: boolean][] = [
    ["overview", (f) => Promise.all([datasetCounts(dataset.id, { fresh: f.own }), agreementMatrix(dataset.id, raters, { fresh: f.shared }), judgeQualityTable(dataset.id, columns, { fresh: f.own }), rewardOverview(dataset.id, columns, { fresh: f.shared })]), true],
    ["agreement (matrix + breakdown of a pair)", (f) => Promise.all([agreementMatrix(dataset.id, raters, { fresh: f.shared }), pairBreakdown(dataset.id, raters[0]!, raters[1]!, { fresh: f.own })]), true],
    ["judge quality vs experts", (f) => judgeQualityTable(dataset.id, columns, { fresh: f.own }), false],
    ["calibration (one judge)", (f) => judgeCalibration(dataset.id, judgeA, undefined, { fresh: f.own }), false],
    [`calibration (one judge, subject ${subject})`, (f) => judgeCalibration(dataset.id, judgeA, subject, { fresh: f.own }), false],
    ["rewards (binary, batch = dataset)", (f) => Promise.all([rewardOverview(dataset.id, columns, { fresh: f.shared }), rewardNormalisation(dataset.id, judgeA, { reward: "binary", ddof: 1, batch: null }, { fresh: f.own })]), true],
    ["rewards (soft, batches of 256 questions)", (f) => Promise.all([rewardOverview(dataset.id, columns, { fresh: f.shared }), rewardNormalisation(dataset.id, judgeA, { reward: "soft", ddof: 1, batch: 256 }, { fresh: f.own })]), true],
    ["experts vs experts", (f) => expertAgreement(dataset.id, "missing", { fresh: f.own }), false],
    ["self-consistency", (f) => judgeConsistency(dataset.id, columns, { fresh: f.own }), false],
  ];
  console.log("### Views (server-side time)\n");
  // One expert label, as an expert's review saves it (label, history, gold label), alternating
  // between two values on one response picked in the middle of the dataset.
  const [{ id: labelled } = { id: 0 }] = await prisma.$queryRaw<{ id: number }[]>`
    SELECT id FROM responses WHERE dataset_id = ${dataset.id} ORDER BY id OFFSET ${Math.floor(dataset.n / 2)} LIMIT 1`;
  let flip = false;
  const labelOne = async () => {
    flip = !flip;
    await prisma.$transaction((tx) => importLabelsById(tx, { datasetId: dataset.id, importedById: null }, [{ line: 1, responseId: labelled, annotator: "bench-annotator", value: flip ? "correct" : "incorrect" }]));
  };
  // One item re-judged (its verdict and soft reward changed in place, as a judge run's upsert
  // does), alternating, on the same response.
  const [judged] = await prisma.$queryRaw<{ verdict: string; soft_reward: number | null }[]>`
    SELECT verdict, soft_reward FROM judgments WHERE response_id = ${labelled} AND judge_id = ${judgeA.id} AND template_version = ${judgeA.templateVersion} AND sample = 0`;
  if (!judged) throw new Error(`response ${labelled} has no judgment by ${judgeA.name} to re-judge`);
  let flipJudgment = false;
  const reJudgeOne = async () => {
    flipJudgment = !flipJudgment;
    await prisma.$executeRaw`UPDATE judgments SET verdict = ${flipJudgment ? (judged.verdict === "YES" ? "NO" : "YES") : judged.verdict}::verdict,
      soft_reward = ${flipJudgment ? 0.5 : judged.soft_reward}
      WHERE response_id = ${labelled} AND judge_id = ${judgeA.id} AND template_version = ${judgeA.templateVersion} AND sample = 0`;
  };
  console.log(
    "| view | cold (computed) | ratio | database CPU, cold | cold, the shared profile stored (median of 3) | after one expert label (median of 3) | ratio | after one re-judged item (median of 3) | ratio | warm (snapshot, median of 5) | the page, computing from nothing with earlier figures stored | scans in the plans |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, runWith, sharesProfile] of views) {
    const run = (fresh: boolean) => runWith({ shared: fresh, own: fresh });
    recorder.statements = [];
    recorder.on = true;
    const cpu = await databaseCpu(pool);
    const t = performance.now();
    await run(true);
    const cold = ms(t);
    const cpuMs = await databaseCpu(pool, cpu);
    recorder.on = false;
    // The view's time, `times` times, each after `before` (a change, or nothing).
    const timed = async (times: number, before: () => Promise<unknown> = async () => {}) => {
      const out: number[] = [];
      for (let i = 0; i < times; i++) {
        await before();
        const start = performance.now();
        await run(false);
        out.push(ms(start));
      }
      return median(out);
    };
    const warm = await timed(5);
    // What new parameters cost (another pair, another batch size) once the profile they share is
    // stored, as it is after the first visit or the refresher: the view's own part from nothing.
    let ownCold: number | null = null;
    if (sharesProfile) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await runWith({ shared: false, own: true });
        times.push(ms(start));
      }
      ownCold = median(times);
    }
    // As the page serves it when its figures must be computed from nothing (as after a change to
    // the whole dataset: here one expert label, so that the stored figures are out of date, and a
    // computation from nothing) and earlier ones are stored (lib/stats/budget.ts): those, marked as
    // updating, once the budget has passed; and when the new figures are ready.
    await labelOne();
    const key = `bench:${name}`;
    const startPage = performance.now();
    const page = await withinBudget(key, () => run(true));
    const pageMs = ms(startPage);
    await computationUnderWay(key);
    const readyMs = ms(startPage);
    const afterLabel = await timed(3, labelOne);
    const afterJudgment = await timed(3, reJudgeOne);
    const plan = await planScans(pool, recorder.statements, AGGREGATION_SETTINGS);
    console.log(
      `| ${name} | ${fmt(cold)} | ${(cold / ref).toFixed(1)}x | ${cpuMs === null ? "n/a" : fmt(cpuMs)} | ${ownCold === null ? "—" : fmt(ownCold)} | ${fmt(afterLabel)} | ${(afterLabel / ref).toFixed(1)}x | ${fmt(afterJudgment)} | ${(afterJudgment / ref).toFixed(1)}x | ${fmt(warm)} | ${fmt(pageMs)}${page.updating ? " (stored figures, updating)" : ""}; new ones after ${fmt(readyMs)} | ${plan.join("; ")} |`,
    );
  }
}

/** Judgments list pages: p50/p95 of one page, and the count that streams after it. */
async function benchPages({ pool, prisma, dataset, columns, judgeA, judgeB, ref, runs }: TContext) {
  const [deep] = await prisma.$queryRaw<{ id: number }[]>`
    SELECT id FROM responses WHERE dataset_id = ${dataset.id} ORDER BY id OFFSET ${Math.floor(dataset.n * 0.9)} LIMIT 1`;
  const subjects = (await datasetFacets(dataset.id)).value.subjects;
  const [subject, rare] = [subjects[0], subjects.at(-1)];
  const base: TJudgmentFilters = { dataset: dataset.id, verdict: [], q: undefined };
  const pages: [string, TJudgmentFilters][] = [
    ["first page", base],
    ["deep page (cursor at 90%)", { ...base, after: deep?.id }],
    ["previous page of the deep page", { ...base, before: deep?.id }],
    [`disagreement ${judgeA.name} vs ${judgeB.name}`, { ...base, disagree: [{ kind: "judge", judgeId: judgeA.id }, { kind: "judge", judgeId: judgeB.id }] }],
    [`disagreement ${judgeA.name} vs experts`, { ...base, disagree: [{ kind: "judge", judgeId: judgeA.id }, { kind: "expert" }] }],
    [`subject = ${subject}`, { ...base, subject }],
    [`subject = ${rare}`, { ...base, subject: rare }],
    [`confusion cell: ${judgeA.name} YES, experts incorrect`, { ...base, verdict: [{ judgeId: judgeA.id, verdict: "YES" }], label: "incorrect" }],
    [`${judgeA.name} UNPARSEABLE`, { ...base, verdict: [{ judgeId: judgeA.id, verdict: "UNPARSEABLE" }] }],
    ["experts disagree, not adjudicated", { ...base, label: "disputed" }],
    ['text search, common word ("final")', { ...base, q: "final" }],
    ["text search, absent word", { ...base, q: "zzzqqq" }],
  ];
  console.log("\n### Judgments list pages (server-side time of one page of 50 rows with its judge cells)\n");
  console.log(`| page | p50 | p95 | p95 ratio | count of matches (streamed after the page; the page gives up at 5 s) | scans in the page's plan |`);
  console.log("|---|---|---|---|---|---|");
  for (const [name, filters] of pages) {
    await listJudgments(filters, columns);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await listJudgments(filters, columns);
      times.push(ms(t));
    }
    const t = performance.now();
    const count = await countJudgments(filters, columns);
    const countTime = ms(t);
    const page = judgmentPageSql(filters, columns);
    const plan = await planScans(pool, [{ text: page.text, values: page.values }]);
    console.log(`| ${name} | ${fmt(median(times))} | ${fmt(percentile(times, 95))} | ${(percentile(times, 95) / ref).toFixed(2)}x | ${count.toLocaleString("en-US")} in ${fmt(countTime)} | ${plan.join("; ")} |`);
  }
}

main().catch((error) => {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
