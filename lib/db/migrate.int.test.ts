// The migration runner must leave the same `_prisma_migrations` history `prisma migrate deploy`
// would, apply each migration once even when several processes start together, and never leave
// half a migration behind. Each test gets an empty database: a new one on the test server, and a
// new embedded one (where all connections share one session, so the advisory lock alone is not
// enough).
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { isEmbeddedVersion } from "@/lib/db/connection";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { defaultMigrationsDir, migrate } from "@/lib/db/migrate";
import { createThrowawayDatabase } from "@/tests/throwaway-db";

type EmptyDatabase = { url: string; drop: () => Promise<void> };

const testUrl = inject("databaseUrl");

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// When no Postgres server answered, the harness itself runs on the embedded database: then only
// the embedded backend is tested (PGlite has one database per instance).
const testServerIsEmbedded = await withClient(testUrl, async (c) =>
  isEmbeddedVersion((await c.query<{ v: string }>("SELECT version() AS v")).rows[0]!.v),
);

let created = 0;
const backends: [string, () => Promise<EmptyDatabase>][] = [
  [
    "the embedded database",
    async () => {
      const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
      return { url: embedded.url, drop: embedded.stop };
    },
  ],
];
if (!testServerIsEmbedded) {
  backends.unshift([
    "a Postgres server",
    async () => {
      const database = await createThrowawayDatabase(`migrate_test_${++created}`);
      if (!database) throw new Error("the test server stopped answering");
      return database;
    },
  ]);
}

type MigrationRow = {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
};

const history = (url: string) =>
  withClient(url, async (c) => (await c.query<MigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`)).rows);

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe.each(backends)("migrate on %s", (_, emptyDatabase) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function database(): Promise<string> {
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    return db.url;
  }

  /** A temporary migrations folder in Prisma's layout: `<name>/migration.sql`. */
  function folder(migrations: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    for (const [name, sql] of Object.entries(migrations)) addMigration(dir, name, sql);
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n'); // not a migration
    return dir;
  }

  function addMigration(dir: string, name: string, sql: string) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }

  it("applies the project's migrations to an empty database and records them as prisma migrate deploy does", async () => {
    const url = await database();
    const dir = defaultMigrationsDir();
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(names).toContain("20261126000000_init");

    expect(await migrate(url)).toEqual(names);

    const rows = await history(url);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(path.join(dir, row.migration_name, "migration.sql")));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await withClient(url, async (c) => (await c.query("SELECT to_regclass('users') AS t")).rows[0]);
    expect(tables).toEqual({ t: "users" });
  });

  it("applies pending migrations in name order, and nothing on a second run", async () => {
    const url = await database();
    // Created out of order: the runner must sort by name (timestamp first), or b finds no table.
    const dir = folder({
      "20260102000000_b": "INSERT INTO steps (name) VALUES ('b');",
      "20260101000000_a": "CREATE TABLE steps (id serial PRIMARY KEY, name text NOT NULL);",
    });
    expect(await migrate(url, { dir })).toEqual(["20260101000000_a", "20260102000000_b"]);
    const before = await history(url);

    expect(await migrate(url, { dir })).toEqual([]);
    expect(await history(url)).toEqual(before);

    // A migration added later is the only one applied next time.
    addMigration(dir, "20260103000000_c", "INSERT INTO steps (name) VALUES ('c');");
    expect(await migrate(url, { dir })).toEqual(["20260103000000_c"]);
    const steps = await withClient(url, async (c) => (await c.query("SELECT name FROM steps ORDER BY id")).rows);
    expect(steps).toEqual([{ name: "b" }, { name: "c" }]);
  });

  it("applies each migration exactly once when several runs start at the same time", async () => {
    const url = await database();
    // INSERTs are not idempotent: a migration applied twice leaves two rows. The sleep keeps the
    // first run busy while the others arrive.
    const dir = folder({
      "20260101000000_a": "CREATE TABLE steps (name text NOT NULL);",
      "20260102000000_b": "INSERT INTO steps VALUES ('b'); SELECT pg_sleep(0.2);",
      "20260103000000_c": "INSERT INTO steps VALUES ('c');",
    });

    // allSettled: every run ends before the database is dropped, even when one fails
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => migrate(url, { dir })));
    expect(outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []))).toEqual([]);
    const runs = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));

    expect(runs.flat().sort()).toEqual(["20260101000000_a", "20260102000000_b", "20260103000000_c"]);
    expect((await history(url)).map((r) => r.migration_name)).toEqual([
      "20260101000000_a",
      "20260102000000_b",
      "20260103000000_c",
    ]);
    const steps = await withClient(url, async (c) => (await c.query("SELECT name FROM steps ORDER BY name")).rows);
    expect(steps).toEqual([{ name: "b" }, { name: "c" }]);
  });

  it("leaves no trace of a migration whose SQL fails, names it in the error, and applies it once fixed", async () => {
    const url = await database();
    const dir = folder({
      "20260101000000_a": "CREATE TABLE steps (name text NOT NULL);",
      // the first statement succeeds, the second fails: the first must be undone too
      "20260102000000_b": "CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);",
      "20260103000000_c": "INSERT INTO steps VALUES ('c');",
    });

    await expect(migrate(url, { dir })).rejects.toThrow(/migration 20260102000000_b failed: .*no_such_table/);

    expect((await history(url)).map((r) => r.migration_name)).toEqual(["20260101000000_a"]);
    const left = await withClient(url, async (c) =>
      (await c.query("SELECT to_regclass('half_done') AS half_done, (SELECT count(*)::int FROM steps) AS steps")).rows[0],
    );
    expect(left).toEqual({ half_done: null, steps: 0 }); // b rolled back, c never ran

    writeFileSync(path.join(dir, "20260102000000_b", "migration.sql"), "CREATE TABLE half_done (id int);");
    expect(await migrate(url, { dir })).toEqual(["20260102000000_b", "20260103000000_c"]);
  });

  it("refuses to run when an applied migration's file was edited", async () => {
    const url = await database();
    const dir = folder({ "20260101000000_a": "CREATE TABLE steps (name text NOT NULL);" });
    await migrate(url, { dir });

    appendFileSync(path.join(dir, "20260101000000_a", "migration.sql"), "\n-- an innocent-looking edit\n");
    addMigration(dir, "20260102000000_b", "INSERT INTO steps VALUES ('b');");

    await expect(migrate(url, { dir })).rejects.toThrow(/migration 20260101000000_a was edited after it was applied/);
    expect((await history(url)).map((r) => r.migration_name)).toEqual(["20260101000000_a"]);
  });
});
