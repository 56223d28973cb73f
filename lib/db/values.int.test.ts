// The errors the database really raises when a value gets past the checks: recognised as a
// refused value (the caller's input), unlike other failures.
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { testDb } from "@/tests/db";
import { isRefusedValue } from "./values";

const prisma = testDb();
const catching = (p: Promise<unknown>) => p.then(() => null, (error: unknown) => error);

describe("isRefusedValue", () => {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  afterAll(() => client.end());

  it("recognises a number out of range and NUL in text, from Prisma and from pg", async () => {
    expect(isRefusedValue(await catching(prisma.dataset.findUnique({ where: { id: 99999999999 } })))).toBe(true);
    expect(isRefusedValue(await catching(prisma.dataset.findFirst({ where: { name: "a\u0000b" } })))).toBe(true);
    expect(isRefusedValue(await catching(prisma.$queryRaw`SELECT * FROM datasets WHERE id = ${99999999999}`))).toBe(true);
    if (inject("embeddedDatabase")) return; // the embedded database is reached through Prisma here
    await client.connect();
    expect(isRefusedValue(await catching(client.query("SELECT * FROM datasets WHERE id = $1", [99999999999])))).toBe(true);
    expect(isRefusedValue(await catching(client.query("SELECT * FROM datasets WHERE name = $1", ["a\u0000b"])))).toBe(true);
  });

  it("does not take other failures for one", async () => {
    const name = `unique-${Date.now()}`;
    await prisma.dataset.create({ data: { name } });
    const duplicate = await catching(prisma.$executeRaw`INSERT INTO datasets (name) VALUES (${name})`);
    expect(duplicate).not.toBeNull();
    expect(isRefusedValue(duplicate)).toBe(false);
    expect(isRefusedValue(await catching(prisma.$queryRawUnsafe("SELECT * FROM no_such_table")))).toBe(false);
    expect(isRefusedValue(new Error("something else"))).toBe(false);
    await prisma.dataset.deleteMany({ where: { name } });
  });
});
