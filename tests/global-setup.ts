// Integration tests run against a real Postgres: a throwaway database created for this run on
// the server in TEST_DATABASE_URL (default: the local one on 127.0.0.1:5432), or, when no server
// answers, the embedded database in memory. Migrations are applied once here.
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { createThrowawayDatabase } from "./throwaway-db";

declare module "vitest" {
  // Module augmentation needs an interface: vitest declares ProvidedContext as one.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    databaseUrl: string;
    /** the embedded database (one backend: no helper connections, lib/stats/snapshot.ts sideBySide) */
    embeddedDatabase: boolean;
  }
}

export default async function setup(project: TestProject) {
  let database = await createThrowawayDatabase("studio_test");
  const embedded = !database;
  if (!database) {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    database = { url: embedded.url, drop: embedded.stop };
    console.log("[tests] no Postgres server answered; using the embedded database");
    // As the launcher tells the studio (lib/env.ts); test workers inherit it.
    process.env.STUDIO_EMBEDDED = "1";
  }
  await migrate(database.url);
  project.provide("databaseUrl", database.url);
  project.provide("embeddedDatabase", embedded);
  return database.drop;
}
