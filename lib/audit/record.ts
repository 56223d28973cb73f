// Audit events: who did what to which object. Written in the same transaction as the change.
import type { Prisma } from "@/lib/db/generated/client";

type Tx = Pick<Prisma.TransactionClient, "auditEvent">;

export type TAuditInput = {
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | number;
  data?: Prisma.InputJsonValue;
};

export async function recordAudit(tx: Tx, event: TAuditInput) {
  await tx.auditEvent.create({
    data: {
      actorId: event.actorId,
      action: event.action,
      entity: event.entity,
      entityId: String(event.entityId),
      data: event.data ?? {},
    },
  });
}
