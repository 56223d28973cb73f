// The studio for end-to-end tests, on a database of its own: a throwaway database on the
// Postgres server in TEST_DATABASE_URL (default: the local one) when one answers, else a fresh
// embedded database. Demo mode on, so the demo data and one user per role exist. The tests find
// the database in e2e/.state/database.json (to seed data and check what the UI wrote).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createThrowawayDatabase } from "../tests/throwaway-db";

const stateDir = path.resolve("e2e/.state");
rmSync(stateDir, { recursive: true, force: true });
mkdirSync(stateDir, { recursive: true });
const dataDir = mkdtempSync(path.join(tmpdir(), "studio-e2e-"));
const port = 20000 + Math.floor(Math.random() * 20000);
const env: NodeJS.ProcessEnv = { ...process.env, STUDIO_DEMO: "1", STUDIO_REWARD_MAX_PENDING: "64", AUTH_SIGNIN_LIMIT: "20", STUDIO_DATA_DIR: dataDir, STUDIO_URL: `http://localhost:${process.env.PORT ?? 3210}` };
let cleanup = async () => {};

const database = await createThrowawayDatabase("studio_e2e");
if (database) {
  env.DATABASE_URL = database.url;
  cleanup = database.drop;
  writeFileSync(path.join(stateDir, "database.json"), JSON.stringify({ url: database.url, dataDir, embedded: false }));
  console.log("[e2e] throwaway database on the Postgres server");
} else {
  delete env.DATABASE_URL;
  env.STUDIO_DB_PORT = String(port);
  writeFileSync(path.join(stateDir, "database.json"), JSON.stringify({ url: `postgresql://postgres@127.0.0.1:${port}/postgres`, dataDir, embedded: true }));
  console.log("[e2e] embedded database");
}

const child = spawn("npx", ["tsx", "scripts/start.ts"], { stdio: "inherit", env });
const stop = async () => {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  await cleanup().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
child.on("exit", (code) => {
  void cleanup().finally(() => process.exit(code ?? 1));
});
