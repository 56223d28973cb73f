// Integration tests run against a real Postgres: a throwaway database created for this run on
// the server in TEST_DATABASE_URL (default: the local one on 127.0.0.1:5432), or, when no server
// answers, the embedded database in memory. Migrations are applied once here.
import type { TestProject } from "vitest/node";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";

declare module "vitest" {
  // Module augmentation needs an interface: vitest declares ProvidedContext as one.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

async function serverReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject) {
  let url: string;
  let teardown: () => Promise<void>;
  if (await serverReachable(serverUrl)) {
    const name = `studio_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    teardown = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: "memory://" });
    url = embedded.url;
    teardown = embedded.stop;
    console.log("[tests] no Postgres server answered; using the embedded database");
  }
  await migrate(url);
  project.provide("databaseUrl", url);
  return teardown;
}
