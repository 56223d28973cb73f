// Helpers for integration tests: one Prisma client on the run's throwaway database, and a reset
// that empties every table the studio owns (migrations history excluded).
import { inject } from "vitest";
import { createPrismaClient, setDb, type PrismaClient } from "@/lib/db/client";

let client: PrismaClient | undefined;

export function testDb(): PrismaClient {
  if (!client) {
    process.env.DATABASE_URL = inject("databaseUrl");
    client = createPrismaClient(inject("databaseUrl"), 4);
    setDb(client);
  }
  return client;
}

export async function resetDb() {
  const prisma = testDb();
  const tables = await prisma.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (tables.length === 0) return;
  const list = tables.map((t) => `"${t.tablename}"`).join(", ");
  await prisma.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
}
