// `npm start`: the studio in one command. Starts the embedded database unless DATABASE_URL is
// set, applies migrations, creates the first admin (and, in demo mode, demo users and data),
// builds the app if it has never been built, then runs `next start` (or `next dev` with --dev)
// and, with the embedded database or in demo mode (or STUDIO_WORKER=1), a run worker beside it
// (scripts/worker.ts in its own process, restarted if it dies).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { bootstrap } from "../lib/setup/bootstrap";
import { dataDir, ensureAuthSecret, resolveDatabase } from "../lib/setup/runtime";
import { createPrismaClient } from "../lib/db/client";

const isDev = process.argv.includes("--dev");
const log = (line: string) => console.log(`[studio] ${line}`);

/** Whether something listens on `port` already (another studio left running, say). */
const portTaken = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(true));
    probe.once("listening", () => probe.close(() => resolve(false)));
    probe.listen(port);
  });

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  if (await portTaken(port)) throw new Error(`port ${port} is in use (a studio still running?): stop it, or start this one with PORT=<another port>`);
  const database = await resolveDatabase({
    serve: true,
    port: process.env.STUDIO_DB_PORT ? Number(process.env.STUDIO_DB_PORT) : undefined,
  });
  const demo = process.env.STUDIO_DEMO ? ["1", "true"].includes(process.env.STUDIO_DEMO) : database.embedded;
  log(database.embedded ? `embedded database on ${new URL(database.url).host}` : "database from DATABASE_URL");

  const prisma = createPrismaClient(database.url, 2);
  try {
    await bootstrap(prisma, {
      databaseUrl: database.url,
      demo,
      adminEmail: process.env.ADMIN_EMAIL,
      adminPassword: process.env.ADMIN_PASSWORD,
      adminPasswordFile: path.join(dataDir(), "initial-admin-password"),
      log,
    });
  } finally {
    await prisma.$disconnect();
  }

  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    STUDIO_EMBEDDED: database.embedded ? "1" : "0",
    STUDIO_DEMO: demo ? "1" : "0",
    AUTH_SECRET: ensureAuthSecret(),
    PORT: String(port),
  };
  if (!isDev && !existsSync(".next/BUILD_ID")) {
    log("building the studio (first start only; `npm run build` rebuilds)");
    const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env });
    if (build.status !== 0) throw new Error("next build failed");
  }
  // Next's own script under this Node (not npx): the SIGTERM of stop() reaches the server itself,
  // which npx would not pass on, leaving it running with the port taken.
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const next = spawn(process.execPath, [nextBin, isDev ? "dev" : "start", "-p", String(port)], { stdio: "inherit", env });
  log(`studio at http://localhost:${port}`);

  let stopping = false;
  const workerFlag = process.env.STUDIO_WORKER;
  const runWorker = workerFlag ? ["1", "true"].includes(workerFlag) : database.embedded || demo;
  let worker: ChildProcess | null = null;
  const startWorker = () => {
    // node --import tsx (not npx): signals reach the worker itself, which hands back its work on SIGTERM.
    worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { stdio: "inherit", env });
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      log(`run worker exited (${signal ?? code}); starting another in 2 s`);
      setTimeout(() => !stopping && startWorker(), 2000);
    });
  };
  if (runWorker) {
    startWorker();
    log("run worker started beside the app (set STUDIO_WORKER=0 to run workers elsewhere with `npm run worker`)");
  }

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    next.kill("SIGTERM");
    const w = worker as ChildProcess | null;
    if (w && w.exitCode === null && w.signalCode === null) {
      const exited = new Promise((resolve) => w.once("exit", resolve));
      w.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    }
    await database.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  next.on("exit", (code) => void stop(code ?? 0));
}

main().catch((error) => {
  console.error(`[studio] ${(error as Error).message}`);
  process.exit(1);
});
