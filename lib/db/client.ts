// The one Prisma client of a process. Created on first use (not at import: `next build` imports
// modules without a database). Kept on globalThis so dev-mode reloads do not open new pools.
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient } from "./generated/client";

// A judge's encrypted API key is never read by accident: every query leaves it out unless it
// selects it by name, which only lib/judges/secrets.ts does. (The cast keeps the one client
// type the code base uses; the omission is checked by lib/judges/secrets.int.test.ts.)
const GLOBAL_OMIT = { judge: { apiKeyEncrypted: true } } as const;

export function createPrismaClient(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }), omit: GLOBAL_OMIT }) as unknown as PrismaClient;
}

const holder = globalThis as unknown as { __studioPrisma?: PrismaClient };

export function db(): PrismaClient {
  if (!holder.__studioPrisma) {
    const { DATABASE_URL, DATABASE_POOL_MAX } = env();
    if (!DATABASE_URL) throw new Error("DATABASE_URL is not set (start the studio with `npm start`)");
    holder.__studioPrisma = createPrismaClient(DATABASE_URL, DATABASE_POOL_MAX);
  }
  return holder.__studioPrisma;
}

/** For scripts and tests that manage their own client. */
export function setDb(client: PrismaClient | undefined) {
  holder.__studioPrisma = client;
}

export type { PrismaClient };
