// Changing a user's role. The studio never loses its last admin: demoting the only one is refused.
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { ROLES } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";

export const ZSetRole = z.object({ userId: z.string().min(1), role: z.enum(ROLES) });
export type TSetRole = z.input<typeof ZSetRole>;

export async function setUserRole(prisma: PrismaClient, actorId: string, input: TSetRole) {
  const { userId, role } = ZSetRole.parse(input);
  return prisma.$transaction(async (tx) => {
    // Serialise role changes, so two admins demoting each other cannot leave none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(72030233830)`;
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true, email: true, disabledAt: true } });
    if (!user) throw new AppError("NOT_FOUND", "This user does not exist.");
    if (user.role === role) return { id: user.id, role };
    // The admins who count are those who can sign in (lib/users/access.ts).
    if (user.role === "admin" && !user.disabledAt && (await tx.user.count({ where: { role: "admin", disabledAt: null } })) === 1) {
      throw new AppError("CONFLICT", "This is the only admin who can sign in; make another user admin first.");
    }
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit(tx, { actorId, action: "user.role", entity: "user", entityId: userId, data: { email: user.email, from: user.role, to: role } });
    return { id: user.id, role };
  });
}
