// A second sign-in limit, per account. better-auth limits sign-in per client IP, but the IP it
// sees comes from X-Forwarded-For, which a client talking to the studio directly can set at
// will. Counting attempts per email as well caps password guessing on one account however the
// attacker rotates that header. Counters live in the same table as better-auth's (shared by every
// instance), under their own key prefix.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/generated/client";

export const SIGNIN_WINDOW_MS = 60_000;

/** Counts one attempt on `email`; false when the account has used up its attempts this window. */
export async function consumeSignInAttempt(prisma: PrismaClient, email: string, max: number, now = Date.now()): Promise<boolean> {
  const key = `signin-email:${email.trim().toLowerCase()}`;
  const windowStart = BigInt(now - SIGNIN_WINDOW_MS);
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO rate_limits (id, key, count, last_request) VALUES (${randomUUID()}, ${key}, 1, ${BigInt(now)})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.last_request < ${windowStart} THEN 1 ELSE rate_limits.count + 1 END,
      last_request = CASE WHEN rate_limits.last_request < ${windowStart} THEN ${BigInt(now)} ELSE rate_limits.last_request END
    RETURNING count`;
  return (row?.count ?? 0) <= max;
}
