// The export's snapshot: a query run aside, on a second connection, reads exactly what the
// export's own connection reads, whatever commits meanwhile.
import { describe, expect, inject, it } from "vitest";
import { Prisma } from "@/lib/db/generated/client";
import { resetDb, testDb } from "@/tests/db";
import { queryRows, withSnapshot } from "./cursor";

const prisma = testDb();
const embedded = inject("embeddedDatabase");

describe("withSnapshot", () => {
  it("runs a query aside on the export's snapshot", async () => {
    await resetDb();
    await prisma.dataset.create({ data: { name: "before the snapshot" } });
    await withSnapshot(inject("databaseUrl"), async (snapshot) => {
      const count = Prisma.sql`SELECT count(*)::int AS n, pg_backend_pid() AS pid FROM datasets`;
      const [own] = await queryRows<{ n: number; pid: number }>(snapshot.client, count);
      // A dataset committed by another session after the snapshot began (the embedded database
      // serves one transaction at a time: there nothing else can commit meanwhile).
      if (!embedded) await prisma.dataset.create({ data: { name: "after the snapshot" } });
      const [aside] = await (await snapshot.aside<{ n: number; pid: number }>(count)).rows;
      expect(own!.n).toBe(1);
      expect(aside!.n).toBe(1);
      if (!embedded) expect(aside!.pid).not.toBe(own!.pid);
    });
    expect(await prisma.dataset.count()).toBe(embedded ? 1 : 2);
  });
});
