// A worker killed with SIGKILL mid-run loses nothing: real `npm run worker` processes (scripts/
// worker.ts) on the test database, the judge simulator in this process. Kill the worker while
// it works, start another: the run continues and ends with exactly one judgment per item.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { resetQueue, seedDataset, simJudge, waitFor, waitForRun } from "@/tests/runs";
import { startJudgeSimulator, type TSimulator } from "@/scripts/judge-simulator/simulator";
import { createRuns } from "./create-run";

const prisma = testDb();
const children: ChildProcess[] = [];
let sim: TSimulator | null = null;

function startWorkerProcess(): ChildProcess {
  const child = spawn("npx", ["tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      WORKER_LEASE_MS: "2000",
      WORKER_HEARTBEAT_MS: "300",
      WORKER_CHUNKS: "3",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a SIGKILL reaches the worker itself, not only npx.
    detached: true,
  });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d}`));
  children.push(child);
  return child;
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function kill(child: ChildProcess, signal: NodeJS.Signals) {
  if (!running(child)) return Promise.resolve();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    return Promise.resolve(); // already gone
  }
  return exited;
}

/** A run of the simulator's judge (25 ms a reply, `concurrency` at once) over a new dataset of `items`, in chunks of 40. */
async function startRun(items: number, concurrency: number) {
  sim = await startJudgeSimulator({ latencyMs: 25 });
  const datasetId = await seedDataset(prisma, items);
  const judgeId = await simJudge(prisma, sim.url, { concurrency });
  const [run] = await createRuns(prisma, { datasetId, judgeIds: [judgeId], source: "cli" }, null, { chunkSize: 40 });
  return { datasetId, judgeId, run: run!, sim };
}

beforeEach(async () => {
  await resetDb();
  await resetQueue(prisma);
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => kill(c, "SIGKILL")));
  await sim?.close();
});
afterAll(() => prisma.$disconnect());

describe("kill -9 and resume", () => {
  it("a worker killed mid-run loses nothing: the next one finishes with exactly one judgment per item", async () => {
    const { datasetId, judgeId, run, sim } = await startRun(600, 8);

    const first = startWorkerProcess();
    // Some items judged, and chunks held: right after a chunk ends the worker may hold none for a
    // moment (120 judgments are exactly three chunks done), and the kill must come mid-chunk.
    await waitFor(
      "the first worker to judge some items and hold chunks",
      async () =>
        (await prisma.judgment.count({ where: { judgeId } })) >= 120 &&
        (await prisma.judgeRunChunk.count({ where: { runId: run.id, workerId: { not: null } } })) > 0,
      90_000,
    );
    await kill(first, "SIGKILL");
    const atKill = await prisma.judgment.count({ where: { judgeId } });
    expect(atKill).toBeLessThan(600);
    const stuck = await prisma.judgeRun.findUnique({ where: { id: run.id } });
    expect(stuck!.status).toBe("running");
    // The dead worker still holds chunks: nobody else works on them until its lease lapses.
    expect(await prisma.judgeRunChunk.count({ where: { runId: run.id, workerId: { not: null } } })).toBeGreaterThan(0);

    startWorkerProcess();
    const done = await waitForRun(prisma, run.id, ["completed"], 120_000);
    expect(done).toMatchObject({ total: 600, done: 600, failed: 0 });
    const [dupes] = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT response_id FROM judgments WHERE judge_id = ${judgeId} GROUP BY response_id HAVING count(*) > 1) d`;
    expect(dupes!.n).toBe(0);
    const judgments = await prisma.judgment.findMany({ where: { judgeId }, select: { responseId: true, verdict: true, runId: true } });
    expect(judgments).toHaveLength(600);
    expect(judgments.every((j) => j.verdict !== null && j.runId === run.id)).toBe(true);
    const responses = await prisma.response.count({ where: { datasetId } });
    expect(new Set(judgments.map((j) => j.responseId)).size).toBe(responses);
    // Items in flight at the kill, or judged in its last quarter second (results are written
    // every 250 ms), were asked again: at 8 requests of 25 ms at a time, at most 8 + 8 * 10.
    expect(sim.stats().completions).toBeGreaterThanOrEqual(600);
    expect(sim.stats().completions - 600).toBeLessThanOrEqual(8 + 80);
  }, 240_000);
});

describe("the database drops the connections", () => {
  // As a restart or a managed database's failover does; the embedded database has no other backends to end.
  it.skipIf(inject("embeddedDatabase"))("a worker whose connections are all ended keeps working and finishes the run", async () => {
    const { judgeId, run } = await startRun(300, 4);
    const worker = startWorkerProcess();
    await waitFor("the worker to judge some items", async () => (await prisma.judgment.count({ where: { judgeId } })) >= 60, 90_000);
    const [ended] = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    expect(ended!.n).toBeGreaterThan(1);
    const done = await waitForRun(prisma, run.id, ["completed"], 120_000);
    expect(done).toMatchObject({ total: 300, done: 300, failed: 0 });
    expect(running(worker)).toBe(true);
    expect(await prisma.judgment.count({ where: { judgeId } })).toBe(300);
  }, 240_000);
});
