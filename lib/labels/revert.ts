// Undo of one label change (the review screen's Z): the label goes back to what it was before
// that change, or is removed when the change created it. The label must still be what that change
// made it (same version, or same value and note after an undo of a later change brought it back);
// if it moved on since (another tab, another save), the undo is refused with the current label.
// The undo is itself a change: a new version and a history row, never an erased row.
import type { Prisma } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { refreshGold, type TLabelValue } from "./gold";
import { conflict, lockLabel, type TLabelState } from "./set-label";

export type TRevertResult = { responseId: number; label: TLabelState | null; historyId: number };

export async function revertLabelChangeTx(tx: Prisma.TransactionClient, user: { id: string }, historyId: number): Promise<TRevertResult> {
  const change = await tx.expertLabelHistory.findUnique({
    where: { id: historyId },
    select: { responseId: true, annotator: true, changedById: true, oldValue: true, oldNote: true, newValue: true, newNote: true, version: true },
  });
  if (!change) throw new AppError("NOT_FOUND", "This label change does not exist.");
  if (change.changedById !== user.id || change.annotator !== user.id) {
    throw new AppError("FORBIDDEN", "You can only undo changes you made to your own labels.");
  }
  const current = await lockLabel(tx, change.responseId, user.id);
  const unchanged = current && (current.version === change.version || (current.value === change.newValue && current.note === change.newNote));
  if (!current || !unchanged) throw conflict(current);

  const version = current.version + 1;
  const restored: TLabelState | null = change.oldValue ? { value: change.oldValue as TLabelValue, note: change.oldNote ?? "", version } : null;
  const history = await tx.expertLabelHistory.create({
    data: {
      labelId: current.id,
      responseId: change.responseId,
      annotator: user.id,
      changedById: user.id,
      oldValue: current.value,
      newValue: restored?.value ?? null,
      oldNote: current.note,
      newNote: restored?.note ?? "",
      version,
    },
    select: { id: true },
  });
  if (restored) {
    await tx.expertLabel.update({ where: { id: current.id }, data: { value: restored.value, note: restored.note, version } });
  } else {
    // The history keeps the label's story (label_id becomes null, annotator stays).
    await tx.expertLabel.delete({ where: { id: current.id } });
  }
  await refreshGold(tx, [change.responseId]);
  await recordAudit(tx, {
    actorId: user.id,
    action: "label.undo",
    entity: "response",
    entityId: change.responseId,
    data: { from: current.value, to: restored?.value ?? null, version, undid: historyId },
  });
  return { responseId: change.responseId, label: restored, historyId: history.id };
}
