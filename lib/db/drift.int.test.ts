// Drift check: the database the checked-in migrations build must be the one prisma/schema.prisma
// describes (tables, columns with type, nullability and default, primary keys, indexes, foreign
// keys, enums), or a schema change shipped without its migration (or the reverse) fails here.
// Prisma's schema engine cannot run in this environment, so the expectation comes from the DMMF
// (lib/db/schema-shape.ts) and the reality from the catalog of the migrated test database.
import { readFileSync } from "node:fs";
import path from "node:path";
import wasm from "@prisma/prisma-schema-wasm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { diffShapes, expectedShape, shapeFromCatalog, type CatalogRows, type Dmmf, type Shape } from "@/lib/db/schema-shape";

function loadDmmf(): Dmmf {
  const schema = readFileSync(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8");
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] }))) as Dmmf;
}

/** The structure of the current schema, `_prisma_migrations` (the runner's own table) left out. */
async function readDatabaseShape(client: pg.ClientBase): Promise<Shape> {
  const rows = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;
  const tables = await rows<{ table: string }>(`
    SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`);
  const columns = await rows<CatalogRows["columns"][number]>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
    ORDER BY c.relname, a.attnum`);
  const indexes = await rows<CatalogRows["indexes"][number]>(`
    SELECT i.relname AS name, t.relname AS table, x.indisprimary AS primary, x.indisunique AS unique,
           am.amname AS method, pg_get_expr(x.indpred, x.indrelid) AS predicate,
           ARRAY(
             SELECT coalesce(a.attname::text, pg_get_indexdef(x.indexrelid, k.ord::int, true))
                    || CASE WHEN x.indoption[k.ord - 1] & 1 = 1 THEN ' DESC' ELSE '' END
             FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0
             WHERE k.ord <= x.indnkeyatts
             ORDER BY k.ord
           ) AS columns
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = i.relam
    WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`);
  const foreignKeys = await rows<CatalogRows["foreignKeys"][number]>(`
    SELECT t.relname AS table, r.relname AS "refTable",
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "refColumns",
           con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate"
    FROM pg_constraint con
    JOIN pg_class t ON t.oid = con.conrelid
    JOIN pg_class r ON r.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE con.contype = 'f' AND n.nspname = current_schema()`);
  const enums = await rows<CatalogRows["enums"][number]>(`
    SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema()
    GROUP BY t.typname`);
  return shapeFromCatalog({ tables: tables.map((t) => t.table), columns, indexes, foreignKeys, enums });
}

/** Runs `fn` inside a transaction that is always rolled back: drift that never reaches the test database. */
async function inRolledBackTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    return await fn();
  } finally {
    await client.query("ROLLBACK");
  }
}

describe("the migrated database and prisma/schema.prisma", () => {
  const dmmf = loadDmmf();
  const expected = expectedShape(dmmf);
  let client: pg.Client;

  beforeAll(async () => {
    // The harness applied every migration in prisma/migrations to this database.
    client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it("match: every table, column, type, nullability, default, key, index, foreign key and enum", async () => {
    const actual = await readDatabaseShape(client);
    // Neither side may be vacuously empty.
    expect(Object.keys(expected.tables)).toHaveLength(dmmf.datamodel.models.length);
    expect(Object.keys(actual.tables).sort()).toEqual(Object.keys(expected.tables).sort());
    expect(Object.keys(actual.indexes).length).toBeGreaterThan(10);

    const differences = diffShapes(expected, actual);
    expect(
      differences,
      `prisma/schema.prisma and prisma/migrations disagree:\n  - ${differences.join("\n  - ")}\n` +
        "Write the missing migration with ../shared/tools/prisma-migrate-diff (see ../shared/toolchain.md).\n",
    ).toEqual([]);
  });

  it("reports every change made to the database behind schema.prisma's back", async () => {
    const drifted = await inRolledBackTransaction(client, async () => {
      await client.query(`
        ALTER TABLE users ADD COLUMN nickname text;
        DROP TABLE rate_limits;
        DROP INDEX sessions_user_id_idx;
        CREATE INDEX judges_kind_idx ON judges (kind);
        ALTER TABLE questions ALTER COLUMN subject TYPE varchar;
        ALTER TABLE expert_labels ALTER COLUMN source DROP NOT NULL;
        ALTER TABLE datasets ALTER COLUMN description DROP DEFAULT;
        ALTER TABLE accounts DROP CONSTRAINT accounts_user_id_fkey;
        ALTER TABLE accounts ADD CONSTRAINT accounts_user_id_fkey
          FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE;
        ALTER TYPE verdict ADD VALUE 'MAYBE';`);
      return readDatabaseShape(client);
    });

    expect(diffShapes(expected, drifted)).toEqual([
      'column datasets.description: schema.prisma says default "", the database has no default',
      "column expert_labels.source: schema.prisma says NOT NULL, the database has NULL",
      "column questions.subject: schema.prisma says type text, the database has type character varying",
      "table rate_limits: in schema.prisma, missing from the database",
      "column users.nickname: in the database, not in schema.prisma",
      "index judges_kind_idx (btree on judges (kind)): in the database, not in schema.prisma",
      "index rate_limits_key_key (UNIQUE btree on rate_limits (key)): in schema.prisma, missing from the database",
      "index sessions_user_id_idx (btree on sessions (user_id)): in schema.prisma, missing from the database",
      "foreign key accounts (user_id) -> users (id) ON DELETE Cascade ON UPDATE Cascade: in schema.prisma, missing from the database",
      "foreign key accounts (user_id) -> users (id) ON DELETE SetNull ON UPDATE Cascade: in the database, not in schema.prisma",
      "enum verdict value MAYBE: in the database, not in schema.prisma",
    ]);
    // and the rollback really left the test database as it was
    expect(diffShapes(expected, await readDatabaseShape(client))).toEqual([]);
  });

  it("reports every change made to schema.prisma without a migration", async () => {
    const changed = structuredClone(dmmf);
    const model = (name: string) => changed.datamodel.models.find((m) => m.name === name)!;
    const field = (modelName: string, name: string) => model(modelName).fields.find((f) => f.name === name)!;

    const user = model("User");
    user.fields = user.fields.filter((f) => f.name !== "image"); // a field removed
    model("Dataset").fields.push({ name: "archived", kind: "scalar", type: "Boolean", isRequired: true, isList: false, default: false });
    field("Question", "subject").isRequired = true;
    field("Judgment", "latencyMs").type = "BigInt";
    field("Session", "user").relationOnDelete = "Restrict";
    changed.datamodel.enums.find((e) => e.name === "RunStatus")!.values.push({ name: "archived", dbName: null });
    changed.datamodel.indexes.push({ model: "Judge", type: "normal", fields: [{ name: "kind" }, { name: "createdAt", sortOrder: "desc" }] });
    changed.datamodel.indexes = changed.datamodel.indexes.filter((i) => !(i.model === "Verification" && i.type === "normal"));

    const actual = await readDatabaseShape(client);
    expect(diffShapes(expectedShape(changed), actual)).toEqual([
      "column datasets.archived: in schema.prisma, missing from the database",
      "column judgments.latency_ms: schema.prisma says type bigint, the database has type integer",
      "column questions.subject: schema.prisma says NOT NULL, the database has NULL",
      "column users.image: in the database, not in schema.prisma",
      "index judges_kind_created_at_idx (btree on judges (kind, created_at DESC)): in schema.prisma, missing from the database",
      "index verifications_identifier_idx (btree on verifications (identifier)): in the database, not in schema.prisma",
      "foreign key sessions (user_id) -> users (id) ON DELETE Restrict ON UPDATE Cascade: in schema.prisma, missing from the database",
      "foreign key sessions (user_id) -> users (id) ON DELETE Cascade ON UPDATE Cascade: in the database, not in schema.prisma",
      "enum run_status value archived: in schema.prisma, missing from the database",
    ]);
  });
});
