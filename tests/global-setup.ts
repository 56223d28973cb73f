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
  }
}

export default async function setup(project: TestProject) {
  let database = await createThrowawayDatabase("studio_test");
  if (!database) {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    database = { url: embedded.url, drop: embedded.stop };
    console.log("[tests] no Postgres server answered; using the embedded database");
  }
  await migrate(database.url);
  project.provide("databaseUrl", database.url);
  return database.drop;
}
