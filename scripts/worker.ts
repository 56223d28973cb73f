// `npm run worker`: a run worker, on any machine that reaches the studio's database
// (DATABASE_URL, or the embedded one of a running studio on this machine). Start as many as you
// like; they share the queue and every endpoint's concurrency limit. Stop with Ctrl-C (or
// SIGTERM): the worker hands back what it holds. A worker killed outright loses nothing either.
// Endpoint judges with a stored API key need the studio's AUTH_SECRET in the environment.
import { createPrismaClient, setDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { env } from "../lib/env";
import { RunWorker, surviveLostQueueUpdates } from "../lib/runs/worker";
import { ensureAuthSecret, resolveDatabase } from "../lib/setup/runtime";

const log = (line: string) => console.log(`[worker] ${new Date().toISOString().slice(11, 19)} ${line}`);

async function main() {
  surviveLostQueueUpdates(log);
  process.env.AUTH_SECRET ??= ensureAuthSecret();
  const database = await resolveDatabase({ serve: false });
  await migrate(database.url);
  const e = env();
  // The launcher's embedded database serves one backend: a few connections are plenty.
  const embedded = database.embedded || e.STUDIO_EMBEDDED;
  const prisma = createPrismaClient(database.url, embedded ? 2 : 6);
  setDb(prisma);
  const worker = new RunWorker({
    prisma,
    databaseUrl: database.url,
    parallelChunks: e.WORKER_CHUNKS,
    leaseMs: e.WORKER_LEASE_MS,
    heartbeatMs: e.WORKER_HEARTBEAT_MS,
    chunkBudgetMs: e.WORKER_CHUNK_BUDGET_MS,
    poolMax: embedded ? 2 : 4,
    log,
  });
  await worker.start();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping: handing back unfinished chunks");
    await worker.stop();
    await prisma.$disconnect();
    await database.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error) => {
  console.error(`[worker] ${(error as Error).message}`);
  process.exit(1);
});
