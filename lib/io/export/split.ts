// Seeded, reproducible assignment of questions to splits and of rows to an order, computed in
// SQL (so a million rows never come to the app to be shuffled) and, for tests, in TypeScript.
// The hash is md5(seed ":" kind ":" key) read as a 60-bit integer: the same key and seed always
// land in the same place, and adding questions to a dataset does not move the others.
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
import type { TSplit } from "./options";

const SCALE = 2 ** 60;

const hash60 = (seed: number, kind: string, key: string) =>
  BigInt(`0x${createHash("md5").update(`${seed}:${kind}:${key}`, "utf8").digest("hex").slice(0, 15)}`);
const threshold = (fraction: number) => BigInt(Math.round(fraction * SCALE));

/** The 60-bit hash as a fraction in [0, 1): what splitSql compares with the split fractions. */
export function unitHash(seed: number, kind: "split" | "order", key: string): number {
  return Number(hash60(seed, kind, key)) / SCALE;
}

/** The split of a question, exactly as splitSql computes it. */
export function splitOf(seed: number, questionKey: string, fractions: { train: number; validation: number }): TSplit {
  const h = hash60(seed, "split", questionKey);
  if (h < threshold(fractions.train)) return "train";
  if (h < threshold(fractions.train + fractions.validation)) return "validation";
  return "test";
}

/** SQL: the 60-bit hash of `key` as a bigint (same value as unitHash * 2^60). */
export function hashSql(seed: number, kind: "split" | "order", key: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`('x' || substr(md5(${`${seed}:${kind}:`} || ${key}), 1, 15))::bit(60)::bigint`;
}

/** SQL: 0 (train), 1 (validation) or 2 (test) for a question key. */
export function splitSql(seed: number, questionKey: Prisma.Sql, fractions: { train: number; validation: number }): Prisma.Sql {
  // Thresholds as integers on the 60-bit scale, so SQL and TypeScript compare the same numbers.
  const t1 = threshold(fractions.train);
  const t2 = threshold(fractions.train + fractions.validation);
  // width_bucket counts the thresholds at or below the hash (0, 1 or 2): the hash is computed once.
  return Prisma.sql`width_bucket(${hashSql(seed, "split", questionKey)}, ARRAY[${t1}::bigint, ${t2}::bigint])`;
}
