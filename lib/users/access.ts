// An admin's hold on other accounts: disabling one (someone who left: they cannot sign in, their
// sessions end at once and the API tokens they made stop working; their labels, runs and exports
// stay theirs), enabling it again, and setting a new password for someone who lost theirs (their
// sessions end). The studio keeps an admin who can sign in: the last enabled admin cannot be
// disabled, and nobody disables themselves.
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";

export const ZSetDisabled = z.object({ userId: z.string().min(1).max(100), disabled: z.boolean() });
export const ZSetPassword = z.object({
  userId: z.string().min(1).max(100),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
});

export async function setUserDisabled(prisma: PrismaClient, actorId: string, input: z.input<typeof ZSetDisabled>) {
  const { userId, disabled } = ZSetDisabled.parse(input);
  if (disabled && userId === actorId) throw new AppError("CONFLICT", "You cannot disable your own account.");
  return prisma.$transaction(async (tx) => {
    // The same lock as role changes (./set-role.ts): two admins disabling each other cannot leave none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(72030233830)`;
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true, disabledAt: true } });
    if (!user) throw new AppError("NOT_FOUND", "This user does not exist.");
    if ((user.disabledAt !== null) === disabled) return { id: userId, disabled };
    if (disabled && user.role === "admin" && (await tx.user.count({ where: { role: "admin", disabledAt: null } })) === 1) {
      throw new AppError("CONFLICT", "This is the only admin who can sign in; make another user admin first.");
    }
    await tx.user.update({ where: { id: userId }, data: { disabledAt: disabled ? new Date() : null } });
    if (disabled) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, { actorId, action: disabled ? "user.disable" : "user.enable", entity: "user", entityId: userId, data: { email: user.email } });
    return { id: userId, disabled };
  });
}

export async function setUserPassword(prisma: PrismaClient, actorId: string, input: z.input<typeof ZSetPassword>) {
  const { userId, password } = ZSetPassword.parse(input);
  const hash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user) throw new AppError("NOT_FOUND", "This user does not exist.");
    const updated = await tx.account.updateMany({ where: { userId, providerId: "credential" }, data: { password: hash } });
    if (updated.count === 0) throw new AppError("CONFLICT", "This user signs in without a password.");
    // Whoever held the old password is signed out (the admin doing it for themselves too, elsewhere).
    await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, { actorId, action: "user.password", entity: "user", entityId: userId, data: { email: user.email } });
    return { id: userId };
  });
}
