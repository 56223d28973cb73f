// The structure of the database as schema.prisma describes it, the structure the catalog shows,
// and the differences between the two: the drift check of lib/db/drift.int.test.ts.
// `prisma migrate diff` would do this, but Prisma's schema engine cannot run here, so the
// expected side is rebuilt from the DMMF (`get_dmmf` of @prisma/prisma-schema-wasm) following
// the SQL Prisma's migrate writes for PostgreSQL. Pure functions: the caller reads the catalog.

export type Column = { type: string; nullable: boolean; default: string | null };
export type Table = { columns: Record<string, Column>; primaryKey: { name: string; columns: string[] } | null };
/** Columns in order, "col DESC" for a descending one. */
export type Index = { table: string; unique: boolean; method: string; columns: string[]; predicate: string | null };
export type ReferentialAction = "Cascade" | "Restrict" | "NoAction" | "SetNull" | "SetDefault";
/** Compared without its name: the DMMF does not carry a relation's `map`. */
export type ForeignKey = {
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
};
export type Shape = {
  tables: Record<string, Table>;
  /** By name: index names are unique within a Postgres schema. Primary keys are in `tables`. */
  indexes: Record<string, Index>;
  foreignKeys: ForeignKey[];
  /** Values in declaration order. */
  enums: Record<string, string[]>;
};

// ---------------------------------------------------------------------------------------------
// The DMMF, as far as it is read here.

export type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: ReferentialAction;
  relationOnUpdate?: ReferentialAction;
};
export type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
export type DmmfIndex = {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
};
export type DmmfEnum = { name: string; dbName?: string | null; values: { name: string; dbName: string | null }[] };
export type Dmmf = { datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] } };

const SCALAR_TYPES: Record<string, string> = {
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  String: "text",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

/** `@db.X(args)` as `format_type` prints it. */
function nativeType([name, args]: [string, string[]]): string {
  const a = args.length ? `(${args.join(",")})` : "";
  const named: Record<string, string> = {
    VarChar: `character varying${a}`,
    Char: `character${a}`,
    Timestamp: `timestamp${a} without time zone`,
    Timestamptz: `timestamp${a} with time zone`,
    Time: `time${a} without time zone`,
    Timetz: `time${a} with time zone`,
    Decimal: `numeric${a}`,
    DoublePrecision: "double precision",
    Integer: "integer",
    JsonB: "jsonb",
    ByteA: "bytea",
    VarBit: `bit varying${a}`,
  };
  return named[name] ?? name.toLowerCase() + a; // Text, Uuid, SmallInt, BigInt, Real, Date, Json, Inet...
}

/** A default the database holds, in the form `normalizeDefault` gives the catalog's; null when none. */
function expectedDefault(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return `ARRAY[${value.map(String).join(", ")}]`;
  if (typeof value === "object") {
    const fn = value as { name: string; args: unknown[] };
    if (fn.name === "autoincrement") return "autoincrement()";
    if (fn.name === "now") return "now()";
    if (fn.name === "dbgenerated") return String(fn.args[0] ?? "");
    return null; // uuid(), cuid(), nanoid(), ulid(): the client generates the value
  }
  return String(value);
}

/** Prisma's default constraint name, cut to Postgres's 63 bytes the way Prisma cuts it. */
export function defaultName(table: string, columns: string[], suffix: string): string {
  const base = [table, ...columns].join("_");
  return `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

export function expectedShape(dmmf: Dmmf): Shape {
  const { models, enums, indexes } = dmmf.datamodel;
  const enumNames = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const model = (name: string) => {
    const found = models.find((m) => m.name === name);
    if (!found) throw new Error(`DMMF: no model ${name}`);
    return found;
  };
  const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
  const columnOf = (m: DmmfModel, field: string) => {
    const found = m.fields.find((f) => f.name === field);
    if (!found) throw new Error(`DMMF: no field ${m.name}.${field}`);
    return found.dbName ?? found.name;
  };

  const shape: Shape = { tables: {}, indexes: {}, foreignKeys: [], enums: {} };
  for (const e of enums) shape.enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name);

  for (const m of models) {
    const columns: Record<string, Column> = {};
    for (const f of m.fields) {
      if (f.kind !== "scalar" && f.kind !== "enum") continue;
      const base = f.nativeType ? nativeType(f.nativeType) : f.kind === "enum" ? enumNames.get(f.type) : SCALAR_TYPES[f.type];
      if (!base) throw new Error(`DMMF: no Postgres type known for ${m.name}.${f.name} (${f.type})`);
      // Prisma writes scalar lists without NOT NULL.
      columns[f.dbName ?? f.name] = { type: f.isList ? `${base}[]` : base, nullable: !f.isRequired || f.isList, default: expectedDefault(f.default) };
    }
    shape.tables[tableOf(m)] = { columns, primaryKey: null };

    for (const f of m.fields) {
      if (f.kind !== "object" || !f.relationFromFields?.length) continue;
      const target = model(f.type);
      const from = f.relationFromFields.map((name) => m.fields.find((x) => x.name === name));
      shape.foreignKeys.push({
        table: tableOf(m),
        columns: f.relationFromFields.map((name) => columnOf(m, name)),
        refTable: tableOf(target),
        refColumns: (f.relationToFields ?? []).map((name) => columnOf(target, name)),
        // Prisma's defaults: Restrict when the relation is required, SetNull when optional; Cascade on update.
        onDelete: f.relationOnDelete ?? (from.every((x) => x?.isRequired) ? "Restrict" : "SetNull"),
        onUpdate: f.relationOnUpdate ?? "Cascade",
      });
    }
  }

  for (const index of indexes) {
    const m = model(index.model);
    const table = tableOf(m);
    const columns = index.fields.map((f) => columnOf(m, f.name));
    if (index.type === "id") {
      shape.tables[table]!.primaryKey = { name: index.dbName ?? defaultName(table, [], "pkey"), columns };
      continue;
    }
    const name = index.dbName ?? defaultName(table, columns, index.type === "unique" ? "key" : "idx");
    shape.indexes[name] = {
      table,
      unique: index.type === "unique",
      method: (index.algorithm ?? "BTree").toLowerCase(),
      columns: columns.map((c, i) => (index.fields[i]?.sortOrder === "desc" ? `${c} DESC` : c)),
      predicate: null,
    };
  }
  return shape;
}

// ---------------------------------------------------------------------------------------------
// The catalog side.

export type CatalogRows = {
  tables: string[];
  columns: { table: string; column: string; type: string; nullable: boolean; default: string | null }[];
  /** Primary keys included; `columns` already carry " DESC". */
  indexes: { name: string; table: string; primary: boolean; unique: boolean; method: string; columns: string[]; predicate: string | null }[];
  /** `onDelete`/`onUpdate` as pg_constraint's confdeltype/confupdtype letters. */
  foreignKeys: { table: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string; onUpdate: string }[];
  enums: { name: string; values: string[] }[];
};

const ACTIONS: Record<string, ReferentialAction> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

/** A column default from `pg_get_expr`, in the form `expectedDefault` writes. */
export function normalizeDefault(expr: string | null): string | null {
  if (expr === null) return null;
  if (/^nextval\('.+'::regclass\)$/.test(expr)) return "autoincrement()";
  if (expr === "CURRENT_TIMESTAMP" || expr === "now()") return "now()";
  const literal = /^'((?:[^']|'')*)'::[\w ."]+(?:\([\d,]+\))?(?:\[\])?$/s.exec(expr);
  if (literal) return literal[1]!.replaceAll("''", "'");
  return expr.replace(/^(ARRAY\[.*\])::[\w ."]+\[\]$/s, "$1");
}

export function shapeFromCatalog(rows: CatalogRows): Shape {
  const shape: Shape = { tables: {}, indexes: {}, foreignKeys: [], enums: {} };
  for (const table of rows.tables) shape.tables[table] = { columns: {}, primaryKey: null };
  for (const c of rows.columns) {
    shape.tables[c.table]!.columns[c.column] = {
      type: c.type.replaceAll('"', ""),
      nullable: c.nullable,
      default: normalizeDefault(c.default),
    };
  }
  for (const { name, table, primary, ...index } of rows.indexes) {
    if (primary) shape.tables[table]!.primaryKey = { name, columns: index.columns };
    else shape.indexes[name] = { table, ...index };
  }
  shape.foreignKeys = rows.foreignKeys.map((fk) => ({
    ...fk,
    onDelete: ACTIONS[fk.onDelete] ?? "NoAction",
    onUpdate: ACTIONS[fk.onUpdate] ?? "NoAction",
  }));
  for (const e of rows.enums) shape.enums[e.name] = e.values;
  return shape;
}

// ---------------------------------------------------------------------------------------------
// The comparison.

const union = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
const list = (items: string[]) => `(${items.join(", ")})`;
const describeIndex = (i: Index) =>
  `${i.unique ? "UNIQUE " : ""}${i.method} on ${i.table} ${list(i.columns)}${i.predicate ? ` WHERE ${i.predicate}` : ""}`;
const describeForeignKey = (fk: ForeignKey) =>
  `${fk.table} ${list(fk.columns)} -> ${fk.refTable} ${list(fk.refColumns)} ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;
const describeDefault = (d: string | null) => (d === null ? "no default" : `default ${JSON.stringify(d)}`);

/** Every difference, one readable line each; empty when the database matches schema.prisma. */
export function diffShapes(expected: Shape, actual: Shape): string[] {
  const out: string[] = [];
  const missing = (what: string) => out.push(`${what}: in schema.prisma, missing from the database`);
  const extra = (what: string) => out.push(`${what}: in the database, not in schema.prisma`);
  const differs = (what: string, want: string, got: string) =>
    out.push(`${what}: schema.prisma says ${want}, the database has ${got}`);

  for (const name of union(expected.tables, actual.tables)) {
    const want = expected.tables[name];
    const got = actual.tables[name];
    if (!got) missing(`table ${name}`);
    if (!want) extra(`table ${name}`);
    if (!want || !got) continue;
    for (const column of union(want.columns, got.columns)) {
      const w = want.columns[column];
      const g = got.columns[column];
      const what = `column ${name}.${column}`;
      if (!g) missing(what);
      if (!w) extra(what);
      if (!w || !g) continue;
      if (w.type !== g.type) differs(what, `type ${w.type}`, `type ${g.type}`);
      if (w.nullable !== g.nullable) differs(what, w.nullable ? "NULL" : "NOT NULL", g.nullable ? "NULL" : "NOT NULL");
      if (w.default !== g.default) differs(what, describeDefault(w.default), describeDefault(g.default));
    }
    const pk = (p: Table["primaryKey"]) => (p ? `${p.name} ${list(p.columns)}` : "none");
    if (pk(want.primaryKey) !== pk(got.primaryKey)) differs(`primary key of ${name}`, pk(want.primaryKey), pk(got.primaryKey));
  }

  for (const name of union(expected.indexes, actual.indexes)) {
    const w = expected.indexes[name];
    const g = actual.indexes[name];
    if (!g) missing(`index ${name} (${describeIndex(w!)})`);
    else if (!w) extra(`index ${name} (${describeIndex(g)})`);
    else if (describeIndex(w) !== describeIndex(g)) differs(`index ${name}`, describeIndex(w), describeIndex(g));
  }

  const wantFks = expected.foreignKeys.map(describeForeignKey);
  const gotFks = actual.foreignKeys.map(describeForeignKey);
  for (const fk of wantFks.filter((f) => !gotFks.includes(f)).sort()) missing(`foreign key ${fk}`);
  for (const fk of gotFks.filter((f) => !wantFks.includes(f)).sort()) extra(`foreign key ${fk}`);

  for (const name of union(expected.enums, actual.enums)) {
    const w = expected.enums[name];
    const g = actual.enums[name];
    if (!g) missing(`enum ${name}`);
    if (!w) extra(`enum ${name}`);
    if (!w || !g) continue;
    for (const value of w.filter((v) => !g.includes(v))) missing(`enum ${name} value ${value}`);
    for (const value of g.filter((v) => !w.includes(v))) extra(`enum ${name} value ${value}`);
    const common = (values: string[], other: string[]) => values.filter((v) => other.includes(v)).join(", ");
    if (common(w, g) !== common(g, w)) differs(`enum ${name} order`, `[${common(w, g)}]`, `[${common(g, w)}]`);
  }
  return out;
}
