// A database created for one test run on a Postgres server, and dropped after it. Used by the
// integration tests (tests/global-setup.ts) and the e2e studio (scripts/e2e-server.ts).
import pg from "pg";

export const testServerUrl = () => process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

async function run(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const STALE_MS = 6 * 60 * 60_000;

/**
 * Drops databases of earlier runs that were killed before they could drop their own: named like
 * ours (`<prefix>_..._<epoch ms>`), older than six hours, with nobody connected.
 */
async function dropStale(serverUrl: string, prefix: string) {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database d WHERE datname LIKE $1
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
      [`${prefix}\\_%`],
    );
    for (const { datname } of rows) {
      const stamp = Number(datname.split("_").at(-1));
      if (/^[a-z0-9_]+$/.test(datname) && Number.isFinite(stamp) && Date.now() - stamp > STALE_MS) {
        await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
    }
  } finally {
    await client.end();
  }
}

/** A fresh database named `<prefix>_<pid>_<time>`, or null when no server answers. */
export async function createThrowawayDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const serverUrl = testServerUrl();
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  try {
    await run(serverUrl, `CREATE DATABASE ${name}`);
  } catch {
    return null;
  }
  await dropStale(serverUrl, prefix).catch(() => {});
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
