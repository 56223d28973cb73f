// Resolving where the studio's database and secrets are, for the launcher and the CLI alike:
// DATABASE_URL when set; otherwise the embedded database in the data folder, reached through
// the running studio's socket when one is up, or opened in this process when not.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";

// The data folder is chosen at run time: the ignore comment keeps the build's file tracing from
// taking it for a path into the project and tracing the whole project into the server's output.
export const dataDir = () => path.resolve(/*turbopackIgnore: true*/ process.env.STUDIO_DATA_DIR ?? ".data");
const endpointFile = () => path.join(dataDir(), "embedded.json");

/** The auth secret: AUTH_SECRET, else one generated at first start and kept in the data folder. */
export function ensureAuthSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(dataDir(), "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir(), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `where`: which database, for people (the command line says it first: a wrong STUDIO_DATA_DIR opens an empty one). */
export type TDatabase = { url: string; embedded: boolean; where: string; stop: () => Promise<void> };

/**
 * The database to use. `serve` starts the embedded database for others to reach (the launcher);
 * without it a running studio's embedded database is joined, or one is opened just for this
 * process (the CLI while the studio is down).
 */
export async function resolveDatabase(options: { serve: boolean; port?: number }): Promise<TDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, where: "the Postgres of DATABASE_URL", stop: async () => {} };
  if (!options.serve && existsSync(endpointFile())) {
    const running = JSON.parse(readFileSync(endpointFile(), "utf8")) as { port: number; pid: number };
    if (isAlive(running.pid)) {
      return { url: `postgresql://postgres@127.0.0.1:${running.port}/postgres`, embedded: true, where: `the running studio's embedded database in ${dataDir()}`, stop: async () => {} };
    }
  }
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres({ dataDir: path.join(dataDir(), "pglite"), port: options.port });
  } catch (error) {
    throw new Error(
      `could not open the embedded database in ${dataDir()}/pglite (${(error as Error).message}); ` +
        "is another studio process using it?",
      { cause: error },
    );
  }
  if (options.serve) writeFileSync(endpointFile(), JSON.stringify({ port: server.port, pid: process.pid }));
  return {
    url: server.url,
    embedded: true,
    where: options.serve
      ? `the embedded database in ${dataDir()}`
      : `the embedded database in ${dataDir()}, opened here (no studio runs on it; STUDIO_DATA_DIR names another data folder)`,
    stop: async () => {
      if (options.serve) rmSync(endpointFile(), { force: true });
      await server.stop();
    },
  };
}
