// An expert sets their own label on a response. Optimistic concurrency: the caller names the
// version it last saw (null: "I saw no label of mine"); if the label has moved on since, the
// change is refused with the current label, never silently overwritten. The label, its history
// row, the item's gold label and the audit event are written in one transaction.
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { refreshGold } from "./gold";

export const ZSetLabel = z.object({
  responseId: z.number().int().positive(),
  value: z.enum(["correct", "incorrect", "unsure"]),
  note: z.string().trim().max(2000).default(""),
  expectedVersion: z.number().int().positive().nullable(),
});
export type TSetLabel = z.input<typeof ZSetLabel>;

export type TLabelState = { value: "correct" | "incorrect" | "unsure"; note: string; version: number };

export async function setExpertLabel(prisma: PrismaClient, user: { id: string }, input: TSetLabel) {
  const { responseId, value, note, expectedVersion } = ZSetLabel.parse(input);
  return prisma.$transaction(async (tx) => {
    // Lock the response row: label saves on one response serialise here, so two first saves
    // (no label row yet to lock) cannot both insert, and the gold label sees every label.
    const [response] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM responses WHERE id = ${responseId} FOR UPDATE`;
    if (!response) throw new AppError("NOT_FOUND", "This response does not exist.");
    // Lock the label row (if any) so two saves of the same expert serialise here.
    const [current] = await tx.$queryRaw<{ id: number; value: TLabelState["value"]; note: string; version: number }[]>`
      SELECT id, value::text AS value, note, version FROM expert_labels
      WHERE response_id = ${responseId} AND annotator = ${user.id} FOR UPDATE`;
    const seen = current?.version ?? null;
    if (seen !== expectedVersion) {
      throw new AppError(
        "CONFLICT",
        current
          ? `Your label changed elsewhere meanwhile: it is now "${current.value}" (version ${current.version}).`
          : "Your label was removed meanwhile.",
        { current: current ? { value: current.value, note: current.note, version: current.version } : null },
      );
    }
    if (current && current.value === value && current.note === note) {
      return { label: { value, note, version: current.version }, changed: false };
    }
    const version = (current?.version ?? 0) + 1;
    const label = current
      ? await tx.expertLabel.update({ where: { id: current.id }, data: { value, note, version }, select: { id: true } })
      : await tx.expertLabel.create({
          data: { responseId, annotator: user.id, userId: user.id, value, note, version, source: "studio" },
          select: { id: true },
        });
    await tx.expertLabelHistory.create({
      data: {
        labelId: label.id,
        responseId,
        changedById: user.id,
        oldValue: current?.value ?? null,
        newValue: value,
        oldNote: current?.note ?? null,
        newNote: note,
        version,
      },
    });
    await refreshGold(tx, [responseId]);
    await recordAudit(tx, {
      actorId: user.id,
      action: "label.set",
      entity: "response",
      entityId: responseId,
      data: { from: current?.value ?? null, to: value, version },
    });
    return { label: { value, note, version }, changed: true };
  });
}
