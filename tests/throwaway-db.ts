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

/** A fresh database named `<prefix>_<time>`, or null when no server answers. */
export async function createThrowawayDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const serverUrl = testServerUrl();
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  try {
    await run(serverUrl, `CREATE DATABASE ${name}`);
  } catch {
    return null;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
