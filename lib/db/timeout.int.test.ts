import { describe, expect, it } from "vitest";
import { testDb } from "@/tests/db";
import { isEmbeddedVersion } from "./connection";
import { withStatementTimeout } from "./timeout";

describe("withStatementTimeout", () => {
  it("returns the result of a read that finishes in time, and null for one that does not", async () => {
    const prisma = testDb();
    const [row] = await prisma.$queryRaw<{ version: string }[]>`SELECT version()`;
    expect(await withStatementTimeout(5000, (tx) => tx.$queryRaw<{ n: number }[]>`SELECT 1::int AS n`)).toEqual([{ n: 1 }]);
    // The embedded database (WebAssembly, one thread) cannot interrupt a running statement, so
    // the timeout is only checked on a Postgres server.
    if (isEmbeddedVersion(row!.version)) return;
    expect(await withStatementTimeout(50, (tx) => tx.$queryRaw`SELECT pg_sleep(2)`)).toBeNull();
    // other errors still surface
    await expect(withStatementTimeout(5000, (tx) => tx.$queryRaw`SELECT * FROM no_such_table`)).rejects.toThrow();
  });
});
