// Helpers for tests (and the benchmark) of judge runs: a synthetic dataset, a judge on the
// simulator, in-process workers with short timings, waiting for a run.
import type { PrismaClient } from "@/lib/db/client";
import { importItems, type TItemRow } from "@/lib/io/import-items";
import { createJudge } from "@/lib/judges/manage";
import type { TEndpointSettingsInput } from "@/lib/judges/settings";
import { RunWorker, type TWorkerOptions } from "@/lib/runs/worker";

/**
 * `n` responses to n / k questions (k per question). Response i answers "answer <q>" when
 * i % 3 !== 2 (the reference is "answer <q>"), else something else: about 2/3 are correct.
 */
export async function seedDataset(prisma: PrismaClient, n: number, name = "synthetic", k = 4) {
  const dataset = await prisma.dataset.create({ data: { name }, select: { id: true } });
  const rows: TItemRow[] = Array.from({ length: n }, (_, i) => {
    const q = Math.floor(i / k);
    return {
      line: i + 1,
      question: `Question number ${q}: what is the answer?`,
      reference: `answer ${q}`,
      response: i % 3 === 2 ? `Let me think.\nIt is ${q + 1000}.` : `Let me think.\nThe final answer is answer ${q}.`,
      sampleIndex: i % k,
      policyModel: "policy-a",
    };
  });
  await importItems(prisma, dataset.id, rows, { batchSize: 5000 });
  return dataset.id;
}

export async function simJudge(prisma: PrismaClient, url: string, settings: Partial<TEndpointSettingsInput> = {}, name = "sim 7B") {
  const judge = await createJudge(
    prisma,
    { kind: "openai_compatible", name, sizeLabel: "7B", settings: { baseUrl: url, model: "sim-judge", retryBaseMs: 10, retryMaxMs: 200, timeoutMs: 5_000, ...settings } },
    null,
  );
  return judge.id;
}

export const FAST_WORKER: Partial<TWorkerOptions> = {
  heartbeatMs: 200,
  leaseMs: 2_000,
  dispatchMs: 200,
  chunkBudgetMs: 20_000,
  parallelChunks: 3,
  sweepMs: 500,
  // STUDIO_TEST_WORKER_LOG=1 shows what the workers do.
  log: process.env.STUDIO_TEST_WORKER_LOG ? (line) => console.log(`[worker] ${line}`) : () => {},
};

export async function startWorker(prisma: PrismaClient, databaseUrl: string, options: Partial<TWorkerOptions> = {}) {
  const worker = new RunWorker({ prisma, databaseUrl, ...FAST_WORKER, ...options });
  await worker.start();
  return worker;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 120_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function waitForRun(prisma: PrismaClient, runId: number, statuses: string[] = ["completed"], timeoutMs = 150_000) {
  return waitFor(
    `run ${runId} to be ${statuses.join(" or ")}`,
    async () => {
      const run = await prisma.judgeRun.findUnique({ where: { id: runId } });
      return run && statuses.includes(run.status) ? run : null;
    },
    timeoutMs,
  );
}

/** Empties the queue's jobs between tests (run ids restart, so old jobs would name new runs' chunks). */
export async function resetQueue(prisma: PrismaClient) {
  const [exists] = await prisma.$queryRaw<{ ok: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS ok`;
  if (exists?.ok) await prisma.$executeRawUnsafe(`DELETE FROM pgboss.job`);
}
