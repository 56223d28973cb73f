// An adjudicator (researcher or admin) decides an item whose experts disagree. The decision is
// the item's gold label while the disagreement lasts (lib/labels/gold.ts). Versioned like expert
// labels: a stale decision is refused with the current one. Every change is an audit event
// (who, when, old -> new).
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { expertsDisagree, refreshGold, type TLabelValue } from "./gold";
import { ZLabelValue } from "./set-label";
import { ZRowId } from "@/lib/db/values";

export const ZAdjudicate = z.object({
  responseId: ZRowId,
  value: ZLabelValue,
  note: z.string().trim().max(2000).default(""),
  expectedVersion: ZRowId.nullable(),
});
export type TAdjudicate = z.input<typeof ZAdjudicate>;

export async function adjudicate(prisma: PrismaClient, user: { id: string }, input: TAdjudicate) {
  const { responseId, value, note, expectedVersion } = ZAdjudicate.parse(input);
  return prisma.$transaction(async (tx) => {
    // The response row lock is the one every label writer takes first (lockLabel, refreshGold).
    const [response] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM responses WHERE id = ${responseId} FOR UPDATE`;
    if (!response) throw new AppError("NOT_FOUND", "This response does not exist.");
    const labels = await tx.expertLabel.findMany({ where: { responseId }, select: { value: true } });
    if (!expertsDisagree(labels.map((l) => l.value as TLabelValue))) {
      throw new AppError("INVALID", "The experts do not disagree on this item (nobody said correct against incorrect): its gold label is their majority.");
    }
    const current = await tx.adjudication.findUnique({ where: { responseId }, select: { value: true, note: true, version: true } });
    if ((current?.version ?? null) !== expectedVersion) {
      throw new AppError("CONFLICT", current ? `The decision changed meanwhile: it is now "${current.value}" (version ${current.version}).` : "The decision was removed meanwhile.", {
        current,
      });
    }
    const version = (current?.version ?? 0) + 1;
    await tx.adjudication.upsert({
      where: { responseId },
      create: { responseId, value, note, version, decidedById: user.id },
      update: { value, note, version, decidedById: user.id },
    });
    await refreshGold(tx, [responseId]);
    await recordAudit(tx, {
      actorId: user.id,
      action: "adjudication.set",
      entity: "response",
      entityId: responseId,
      data: { from: current?.value ?? null, to: value, note, version },
    });
    return { decision: { value, note, version } };
  });
}
