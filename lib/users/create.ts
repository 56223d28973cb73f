// Creating users. Public sign-up is off, so users come from here: the first-start admin, demo
// users, and the admin's users page. The password is hashed with better-auth's own scrypt
// routine and stored the way its email sign-in reads it (provider "credential").
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { ROLES } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";

export const ZNewUser = z.object({
  name: z.string().trim().min(1).max(100),
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
  role: z.enum(ROLES),
});
export type TNewUser = z.infer<typeof ZNewUser>;

export async function createUser(prisma: PrismaClient, input: TNewUser, actorId: string | null = null) {
  const user = ZNewUser.parse(input);
  const existing = await prisma.user.findUnique({ where: { email: user.email }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `A user with the email ${user.email} exists already.`);
  const id = randomUUID();
  const password = await hashPassword(user.password);
  return prisma.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { id, name: user.name, email: user.email, role: user.role, emailVerified: true },
      select: { id: true, email: true, name: true, role: true },
    });
    await tx.account.create({
      data: { id: randomUUID(), accountId: id, providerId: "credential", userId: id, password },
    });
    await recordAudit(tx, { actorId, action: "user.create", entity: "user", entityId: id, data: { email: user.email, role: user.role } });
    return created;
  });
}

/** A random password for the first admin: 24 characters from a URL-safe alphabet. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
