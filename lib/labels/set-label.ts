// An expert sets their own label on a response. Optimistic concurrency: the caller names the
// version it last saw (null: "I saw no label of mine"); if the label has moved on since, the
// change is refused with the current label, never silently overwritten. The label, its history
// row, the item's gold label and the audit event are written in one transaction.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { refreshGold } from "./gold";
import { ZRowId } from "@/lib/db/values";

export const ZLabelValue = z.enum(["correct", "incorrect", "unsure"]);

export const ZSetLabel = z.object({
  responseId: ZRowId,
  value: ZLabelValue,
  note: z.string().trim().max(2000).default(""),
  expectedVersion: ZRowId.nullable(),
});
export type TSetLabel = z.input<typeof ZSetLabel>;

export type TLabelState = { value: "correct" | "incorrect" | "unsure"; note: string; version: number };
export type TSetLabelResult = { label: TLabelState; changed: boolean; historyId: number | null };

type TCurrentLabel = { id: number; value: TLabelState["value"]; note: string; version: number };

/**
 * Locks the response row and the annotator's label row (if any), in that order. Every writer of
 * labels goes through here, so saves on one response serialise: two first saves (no label row
 * yet to lock) cannot both insert, and the gold label sees every label.
 */
export async function lockLabel(tx: Prisma.TransactionClient, responseId: number, annotator: string): Promise<TCurrentLabel | null> {
  const [response] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM responses WHERE id = ${responseId} FOR UPDATE`;
  if (!response) throw new AppError("NOT_FOUND", "This response does not exist.");
  const [current] = await tx.$queryRaw<TCurrentLabel[]>`
    SELECT id, value::text AS value, note, version FROM expert_labels
    WHERE response_id = ${responseId} AND annotator = ${annotator} FOR UPDATE`;
  return current ?? null;
}

export function conflict(current: TCurrentLabel | null): AppError {
  return new AppError(
    "CONFLICT",
    current
      ? `Your label changed elsewhere meanwhile: it is now "${current.value}" (version ${current.version}).`
      : "Your label was removed meanwhile.",
    { current: current ? { value: current.value, note: current.note, version: current.version } : null },
  );
}

/**
 * The next version of an annotator's label on a response. Versions never repeat, even after an
 * undo removed the label: a client that read the old label cannot overwrite a newer one.
 */
async function nextVersion(tx: Prisma.TransactionClient, responseId: number, annotator: string, current: TCurrentLabel | null) {
  if (current) return current.version + 1;
  const [row] = await tx.$queryRaw<{ v: number | null }[]>`
    SELECT max(version)::int AS v FROM expert_label_history WHERE response_id = ${responseId} AND annotator = ${annotator}`;
  return (row?.v ?? 0) + 1;
}

/** The change itself, inside the caller's transaction (the review queue adds its own writes). */
export async function setExpertLabelTx(
  tx: Prisma.TransactionClient,
  user: { id: string },
  input: TSetLabel,
): Promise<TSetLabelResult> {
  const { responseId, value, note, expectedVersion } = ZSetLabel.parse(input);
  const current = await lockLabel(tx, responseId, user.id);
  if ((current?.version ?? null) !== expectedVersion) throw conflict(current);
  if (current && current.value === value && current.note === note) {
    return { label: { value, note, version: current.version }, changed: false, historyId: null };
  }
  const version = await nextVersion(tx, responseId, user.id, current);
  const label = current
    ? await tx.expertLabel.update({ where: { id: current.id }, data: { value, note, version }, select: { id: true } })
    : await tx.expertLabel.create({
        data: { responseId, annotator: user.id, userId: user.id, value, note, version, source: "studio" },
        select: { id: true },
      });
  const history = await tx.expertLabelHistory.create({
    data: {
      labelId: label.id,
      responseId,
      annotator: user.id,
      changedById: user.id,
      oldValue: current?.value ?? null,
      newValue: value,
      oldNote: current?.note ?? null,
      newNote: note,
      version,
    },
    select: { id: true },
  });
  await refreshGold(tx, [responseId]);
  await recordAudit(tx, {
    actorId: user.id,
    action: "label.set",
    entity: "response",
    entityId: responseId,
    data: { from: current?.value ?? null, to: value, version },
  });
  return { label: { value, note, version }, changed: true, historyId: history.id };
}

export async function setExpertLabel(prisma: PrismaClient, user: { id: string }, input: TSetLabel): Promise<TSetLabelResult> {
  return prisma.$transaction((tx) => setExpertLabelTx(tx, user, input));
}
