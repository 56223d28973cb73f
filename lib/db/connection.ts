// A `pg` connection of its own, for work that holds one (an import's transaction, an export's
// snapshot, migrations). When the server ends a connection while its client waits between
// queries (a restart, a managed database's failover, an administrator), `pg` reports it as an
// 'error' event, and an event nobody listens to ends the process: the whole studio, for one
// job's connection. The listener here keeps the process up; the client's next query then fails,
// and the job with it, with a clear error.
import pg from "pg";

export async function connectClient(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  client.on("error", (error) => console.error(`[db] a connection ended: ${error.message}`));
  await client.connect();
  return client;
}

/** SQLSTATE classes and codes, and socket errors, that mean the connection itself was lost. */
const LOST_CODES = new Set(["57P01", "57P02", "57P03", "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);
const LOST_MESSAGE = /^(Connection terminated|Client has encountered a connection error)|Can't reach database server|DatabaseNotReachable/;

/**
 * True when `error` says the database could not be reached or the connection was lost (a
 * restart, a failover, an administrator), not that a statement was wrong: from `pg` (SQLSTATE,
 * socket codes) or from Prisma's driver adapter, which wraps them (its message, or its cause).
 */
export function isConnectionLost(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, kind } = e as { code?: unknown; message?: unknown; kind?: unknown };
    if (typeof code === "string" && (LOST_CODES.has(code) || code.startsWith("08"))) return true;
    if (kind === "DatabaseNotReachable") return true;
    if (typeof message === "string" && LOST_MESSAGE.test(message)) return true;
  }
  return false;
}

/**
 * Whether a server's `SELECT version()` is the embedded database's (PGlite): one backend, no
 * COPY over its socket, no interrupting a running statement.
 */
export const isEmbeddedVersion = (version: string) => version.includes("PGlite");

/** What a caller is told when the database is out of reach. */
export const DATABASE_DOWN_MESSAGE = "The studio cannot reach its database right now. Try again in a moment.";
