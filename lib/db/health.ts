// Whether the database answers, for the health endpoint (app/api/health/route.ts): what a load
// balancer or an orchestrator asks before it sends an instance traffic, and what a monitor polls.
import type { PrismaClient } from "./generated/client";
import { isConnectionLost } from "./connection";

export type THealth = { ok: true; ms: number } | { ok: false; reason: "unreachable" | "timeout" | "error" };

/** One trivial query, given `timeoutMs` to answer: a database that hangs is as down as one that refuses. */
export async function databaseHealth(prisma: PrismaClient, timeoutMs = 2_000): Promise<THealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    const answer = await Promise.race([prisma.$queryRaw`SELECT 1`.then(() => "ok" as const), late]);
    return answer === "ok" ? { ok: true, ms: Math.round(performance.now() - started) } : { ok: false, reason: "timeout" };
  } catch (error) {
    return { ok: false, reason: isConnectionLost(error) ? "unreachable" : "error" };
  } finally {
    clearTimeout(timer);
  }
}
