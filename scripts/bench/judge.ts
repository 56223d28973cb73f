// `npm run bench:judge`: judge runs of 10,000 responses against the judge simulator (a test
// double, in its own process), with one worker in this process, on a throwaway database (the
// Postgres in TEST_DATABASE_URL, else the embedded one). Prints each figure and its ratio:
//  (a) 0 ms latency: judgments persisted per second (goal >= 1,000/s), and its ratio to the raw
//      HTTP rate of the same client against the same simulator with nothing persisted;
//  (b) 100 ms latency, concurrency 64: achieved throughput / (64 / 0.1 s) (goal >= 0.9);
//  (c) 20% of attempts faulty (every fault kind): every item judged or with an explicit error,
//      0 lost, 0 duplicated.
// Options: --items 10000, --keep (keep the database).
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createPrismaClient, setDb, type PrismaClient } from "../../lib/db/client";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";
import { judgeOnEndpoint } from "../../lib/judges/endpoint";
import { ZEndpointSettings } from "../../lib/judges/settings";
import { BUILTIN_TEMPLATES } from "../../lib/judges/templates";
import { createRuns } from "../../lib/runs/create-run";
import { RunWorker } from "../../lib/runs/worker";
import { createThrowawayDatabase } from "../../tests/throwaway-db";
import { seedDataset, simJudge } from "../../tests/runs";

const { values } = parseArgs({ options: { items: { type: "string", default: "10000" }, keep: { type: "boolean", default: false } } });
const N = Number(values.items);
process.env.AUTH_SECRET ??= "bench-only-auth-secret-of-32-characters!!";

function startSimulator(port: number, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/judge-simulator.ts", "--port", String(port), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      const m = /at (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve({ url: m[1]!, child });
    });
    child.once("exit", (code) => reject(new Error(`simulator exited (${code})`)));
  });
}

/** A run from its creation to its completion; also its steady rate (judgments written between the 10th and 90th percentile of their times). */
async function timedRun(prisma: PrismaClient, datasetId: number, judgeId: number) {
  const started = performance.now();
  const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null);
  for (;;) {
    const r = await prisma.judgeRun.findUnique({ where: { id: run!.id }, select: { status: true } });
    if (r!.status === "completed" || r!.status === "failed") break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const [span] = await prisma.$queryRaw<{ p10: Date; p90: Date; n: number }[]>`
    SELECT percentile_disc(0.1) WITHIN GROUP (ORDER BY created_at) AS p10, percentile_disc(0.9) WITHIN GROUP (ORDER BY created_at) AS p90, count(*)::int AS n
    FROM judgments WHERE run_id = ${run!.id}`;
  const steady = (0.8 * span!.n) / ((span!.p90.getTime() - span!.p10.getTime()) / 1000);
  return { runId: run!.id, seconds, steady };
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");

async function integrity(prisma: PrismaClient, judgeId: number, datasetId: number) {
  const [row] = await prisma.$queryRaw<{ rows: number; distinct: number; judged: number; errors: number; responses: number }[]>`
    SELECT count(j.*)::int AS rows, count(DISTINCT j.response_id)::int AS distinct,
      count(*) FILTER (WHERE j.verdict IS NOT NULL)::int AS judged,
      count(*) FILTER (WHERE j.verdict IS NULL AND j.error IS NOT NULL)::int AS errors,
      (SELECT count(*)::int FROM responses WHERE dataset_id = ${datasetId}) AS responses
    FROM judgments j WHERE j.judge_id = ${judgeId}`;
  return { ...row!, lost: row!.responses - row!.distinct, duplicated: row!.rows - row!.distinct };
}

async function main() {
  let database = await createThrowawayDatabase("studio_bench");
  let where = "Postgres (TEST_DATABASE_URL or 127.0.0.1:5432)";
  if (!database) {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    database = { url: embedded.url, drop: embedded.stop };
    where = "the embedded database (no Postgres server answered)";
  }
  const sims: ChildProcess[] = [];
  const prisma = createPrismaClient(database.url, 6);
  setDb(prisma);
  let worker: RunWorker | null = null;
  try {
    await migrate(database.url);
    console.log(`${new Date().toUTCString()}; ${availableParallelism()} cores; load average ${load()} (other work on the machine counts)`);
    console.log(`database: ${where}; ${N.toLocaleString("en-US")} responses per run`);
    const datasetId = await seedDataset(prisma, N, "bench");
    worker = new RunWorker({ prisma, databaseUrl: database.url, parallelChunks: 4, heartbeatMs: 1000, dispatchMs: 500 });
    await worker.start();

    // (a) 0 ms latency
    const fast = await startSimulator(8150, ["--latency-ms", "0", "--error-rate", "0.1"]);
    sims.push(fast.child);
    const settings = ZEndpointSettings.parse({ baseUrl: fast.url, model: "sim-judge", concurrency: 64 });
    const raw = Math.min(N, 5000);
    const rawStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < raw) {
          const i = next++;
          await judgeOnEndpoint({ settings, template: BUILTIN_TEMPLATES[0]!, apiKey: null }, { responseId: i, question: `raw question ${i}`, response: "answer", reference: "answer" });
        }
      }),
    );
    const rawRate = raw / ((performance.now() - rawStarted) / 1000);
    const judgeA = await simJudge(prisma, fast.url, { concurrency: 64 }, "bench a");
    const a = await timedRun(prisma, datasetId, judgeA);
    const rateA = N / a.seconds;
    console.log(`(a) 0 ms latency: ${rateA.toFixed(0)} judgments persisted/s (${a.seconds.toFixed(1)} s; goal >= 1,000/s: ${rateA >= 1000 ? "met" : "NOT met"}); ` +
      `raw HTTP rate of the same client, nothing persisted: ${rawRate.toFixed(0)}/s; ratio ${(rateA / rawRate).toFixed(2)}; steady rate ${a.steady.toFixed(0)}/s; load ${load()}`);

    // (b) 100 ms latency, concurrency 64
    const slow = await startSimulator(8151, ["--latency-ms", "100", "--error-rate", "0.1"]);
    sims.push(slow.child);
    const judgeB = await simJudge(prisma, slow.url, { concurrency: 64 }, "bench b");
    const b = await timedRun(prisma, datasetId, judgeB);
    const ideal = 64 / 0.1;
    const rateB = N / b.seconds;
    console.log(
      `(b) 100 ms latency, concurrency 64: ${rateB.toFixed(0)}/s (${b.seconds.toFixed(1)} s, start to end) of an ideal ${ideal}/s: ratio ${(rateB / ideal).toFixed(3)} ` +
        `(goal >= 0.9: ${rateB / ideal >= 0.9 ? "met" : "NOT met"}); steady ratio ${(b.steady / ideal).toFixed(3)}; load ${load()}`,
    );

    // (c) 20% faults of every kind
    const faulty = await startSimulator(8152, ["--latency-ms", "0", "--fault-rate", "0.2", "--slow-ms", "1500", "--retry-after", "1", "--seed", "7"]);
    sims.push(faulty.child);
    const judgeC = await simJudge(prisma, faulty.url, { concurrency: 64, timeoutMs: 1000, retries: 4, retryBaseMs: 100, retryMaxMs: 2000 }, "bench c");
    const c = await timedRun(prisma, datasetId, judgeC);
    const check = await integrity(prisma, judgeC, datasetId);
    const stats = (await (await fetch(`${faulty.url.replace(/\/v1$/, "")}/sim/stats`)).json()) as { requests: number; faults: Record<string, number> };
    const ok = check.lost === 0 && check.duplicated === 0 && check.judged + check.errors === check.responses;
    console.log(
      `(c) 20% faults: ${check.judged} judged + ${check.errors} explicit errors of ${check.responses}; lost ${check.lost}, duplicated ${check.duplicated} ` +
        `(${ok ? "met" : "NOT met"}); ${stats.requests} requests, faults ${JSON.stringify(stats.faults)}; ${c.seconds.toFixed(1)} s; load ${load()}`,
    );
    for (const [name, judgeId] of [["a", judgeA], ["b", judgeB]] as const) {
      const i = await integrity(prisma, judgeId, datasetId);
      if (i.lost || i.duplicated) console.log(`run ${name}: lost ${i.lost}, duplicated ${i.duplicated} (!)`);
    }
  } finally {
    await worker?.stop();
    for (const s of sims) s.kill("SIGTERM");
    await prisma.$disconnect();
    if (!values.keep) await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
