// Running reads that may not be worth their cost: past `ms` Postgres cancels the statement
// (statement_timeout, for this transaction only) and the caller gets null instead of waiting.
import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { db } from "./client";

const QUERY_CANCELED = "57014";

function isTimeout(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string } } }; message?: string };
  return (
    e?.code === QUERY_CANCELED ||
    e?.meta?.code === QUERY_CANCELED ||
    e?.meta?.driverAdapterError?.cause?.originalCode === QUERY_CANCELED ||
    /canceling statement due to statement timeout/.test(e?.message ?? "")
  );
}

export async function withStatementTimeout<T>(ms: number, read: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T | null> {
  try {
    return await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(ms))}`);
      return read(tx);
    }, { timeout: ms + 10_000 });
  } catch (error) {
    if (isTimeout(error)) return null;
    throw error;
  }
}
