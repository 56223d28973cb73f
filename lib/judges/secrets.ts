// Endpoint API keys. A key is either named (an environment variable of the worker, never
// stored) or stored encrypted: AES-256-GCM with a key derived (HKDF-SHA256) from AUTH_SECRET, so
// a database dump alone does not reveal it. Stored keys are write-only: the studio decrypts them
// only to call the endpoint, never returns them to a browser or the API, never logs them.
// Every worker that calls an endpoint with a stored key needs the studio's AUTH_SECRET.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { isStudioVariable } from "./settings";

const VERSION = "v1";

function derivedKey(masterSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterSecret, "rlvr-studio", "judge-api-key", 32));
}

function masterSecret(): string {
  const secret = process.env.AUTH_SECRET;
  if (!secret || secret.length < 32) {
    throw new AppError("UNAVAILABLE", "AUTH_SECRET (32+ characters) is needed to store or use a judge's API key; start workers with the studio's AUTH_SECRET");
  }
  return secret;
}

export function encryptSecret(plain: string, secret = masterSecret()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptSecret(payload: string, secret = masterSecret()): string {
  const [version, iv, tag, body] = payload.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("not an encrypted secret of this studio");
  const decipher = createDecipheriv("aes-256-gcm", derivedKey(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new AppError("UNAVAILABLE", "a stored API key cannot be decrypted: AUTH_SECRET differs from the one it was stored with; store the key again");
  }
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Stores (or, with null, removes) a judge's API key. */
export async function storeApiKey(prisma: Db, judgeId: number, plain: string | null) {
  await prisma.judge.update({ where: { id: judgeId }, data: { apiKeyEncrypted: plain ? encryptSecret(plain) : null } });
}

/** Whether a judge has a stored key, without reading the key. */
export async function hasStoredApiKey(prisma: Db, judgeIds: number[]): Promise<Set<number>> {
  if (judgeIds.length === 0) return new Set();
  const rows = await prisma.$queryRaw<{ id: number }[]>`
    SELECT id FROM judges WHERE id = ANY(${judgeIds}::int[]) AND api_key_encrypted IS NOT NULL`;
  return new Set(rows.map((r) => r.id));
}

/**
 * The key to call a judge's endpoint with: its environment variable when it names one, else the
 * stored key, else null (servers started without --api-key need none).
 */
export async function resolveApiKey(prisma: Db, judge: { id: number; apiKeyEnv?: string }): Promise<string | null> {
  if (judge.apiKeyEnv) {
    // Judges saved before the studio refused such names are refused here.
    if (isStudioVariable(judge.apiKeyEnv)) throw new AppError("INVALID", `the judge's key variable ${judge.apiKeyEnv} is one of the studio's own settings, never sent to an endpoint; name another`);
    const value = process.env[judge.apiKeyEnv];
    if (!value) throw new AppError("UNAVAILABLE", `the environment variable ${judge.apiKeyEnv} (the judge's API key) is not set where the judge runs`);
    return value;
  }
  const row = await prisma.judge.findUnique({ where: { id: judge.id }, select: { apiKeyEncrypted: true } });
  return row?.apiKeyEncrypted ? decryptSecret(row.apiKeyEncrypted) : null;
}
