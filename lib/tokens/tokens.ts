// API tokens: created by admins and shown once, stored as a sha256 hash, revocable. A token is
// "rlvr_" and 32 random bytes (base64url): guessing one is hopeless, so a fast hash is enough and
// lets every request be checked with one indexed lookup.
import { findJudge } from "@/lib/runs/resolve";
import { createHash, randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { isRole, type TRole } from "@/lib/auth/roles";
import { ZRewardDefaults, type TRewardDefaults } from "@/lib/reward/options";
import { isScope, type TScope } from "./scopes";

type Db = PrismaClient | Prisma.TransactionClient;

const TOKEN_PREFIX = "rlvr_";
const TOKEN_PATTERN = /^rlvr_[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export type TTokenPrincipal = {
  tokenId: number;
  scopes: TScope[];
  rewardDefaults: TRewardDefaults;
  /** the admin who created the token: calls act as them, with their current role */
  user: { id: string; name: string; email: string; role: TRole };
};

export async function createToken(
  prisma: PrismaClient,
  input: { name: string; scopes: TScope[]; rewardDefaults?: TRewardDefaults },
  actorId: string,
): Promise<{ id: number; token: string; prefix: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  const rewardDefaults = ZRewardDefaults.parse(input.rewardDefaults ?? {});
  return prisma.$transaction(async (tx) => {
    // A default judge that does not exist or is archived would refuse every reward call the token makes.
    if (rewardDefaults.judge !== undefined) await findJudge(tx, rewardDefaults.judge);
    const row = await tx.apiToken.create({
      data: { name: input.name, tokenHash: hashToken(token), prefix, scopes: input.scopes, rewardDefaults, createdById: actorId },
      select: { id: true },
    });
    await recordAudit(tx, { actorId, action: "token.create", entity: "api_token", entityId: row.id, data: { name: input.name, scopes: input.scopes, prefix } });
    return { id: row.id, token, prefix };
  });
}

export async function revokeToken(prisma: PrismaClient, id: number, actorId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) {
      const exists = await tx.apiToken.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new AppError("NOT_FOUND", `token ${id} does not exist`);
      return; // revoked already: revoking twice is not an error
    }
    await recordAudit(tx, { actorId, action: "token.revoke", entity: "api_token", entityId: id });
  });
}

export async function listTokens(prisma: Db) {
  return prisma.apiToken.findMany({
    orderBy: { id: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      rewardDefaults: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { name: true, email: true, disabledAt: true } },
    },
  });
}

/** last_used_at is written at most once a minute per token: the reward path must not queue on it. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The principal of a bearer token, or an error: 401 for an unknown, malformed or revoked token
 * (the message does not say which, so a stolen revoked token teaches nothing).
 */
export async function authenticateToken(prisma: PrismaClient, token: string): Promise<TTokenPrincipal> {
  if (!TOKEN_PATTERN.test(token)) throw new AppError("UNAUTHENTICATED", "The API token is not valid.");
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, scopes: true, rewardDefaults: true, revokedAt: true, lastUsedAt: true, createdBy: { select: { id: true, name: true, email: true, role: true, disabledAt: true } } },
  });
  if (!row || row.revokedAt || !row.createdBy || !isRole(row.createdBy.role)) throw new AppError("UNAUTHENTICATED", "The API token is not valid.");
  // A token acts as the admin who made it: theirs stop working with their account.
  if (row.createdBy.disabledAt) throw new AppError("UNAUTHENTICATED", "The API token's creator is disabled.");
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    prisma.apiToken
      .updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
      .catch((error: unknown) => console.error("[tokens] could not record last use", error instanceof Error ? error.message : error));
  }
  const parsed = ZRewardDefaults.safeParse(row.rewardDefaults);
  return {
    tokenId: row.id,
    scopes: row.scopes.filter(isScope),
    rewardDefaults: parsed.success ? parsed.data : {},
    user: { id: row.createdBy.id, name: row.createdBy.name, email: row.createdBy.email, role: row.createdBy.role },
  };
}
