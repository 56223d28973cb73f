// Bulk relabel: a researcher or admin sets their own label to one value on every response of a
// judgments filter, as one undoable step (a label_batches row; each label change is a history
// row carrying its id). The preview says how many labels and gold labels would change; applying
// refuses when the selection no longer matches what was previewed. Undo restores every label the
// batch touched to its state before, except labels changed again since (kept, and counted).
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { hasRole, type TRole } from "@/lib/auth/roles";
import { refreshGold, resolveGold, type TLabelValue } from "./gold";

/** Larger selections are refused: one transaction holds a lock on every response it relabels. */
export const BULK_LIMIT = 50_000;

export type TBulkTarget = { datasetId: number; where: Prisma.Sql; filter: string };
export type TBulkInput = { value: TLabelValue; note: string };
export type TBulkPreview = { matched: number; changes: number; newLabels: number; goldChanges: number };

type TRow = { id: number; labelId: number | null; value: TLabelValue | null; note: string | null; version: number | null };

/** The responses of the filter with the user's own label on each (by responses(dataset_id, id)). */
async function selection(tx: Prisma.TransactionClient, user: { id: string }, target: TBulkTarget, lock: boolean): Promise<TRow[]> {
  const rows = await tx.$queryRaw<TRow[]>`
    SELECT r.id, l.id AS "labelId", l.value::text AS value, l.note, l.version
    FROM responses r LEFT JOIN expert_labels l ON l.response_id = r.id AND l.annotator = ${user.id}
    WHERE ${target.where}
    ORDER BY r.id
    LIMIT ${BULK_LIMIT + 1}
    ${lock ? Prisma.sql`FOR UPDATE OF r` : Prisma.empty}`;
  if (rows.length > BULK_LIMIT) {
    throw new AppError("INVALID", `This filter selects more than ${BULK_LIMIT.toLocaleString("en-US")} responses; narrow it first.`);
  }
  return rows;
}

const isChange = (row: TRow, input: TBulkInput) => row.value !== input.value || row.note !== input.note;

/** Gold labels before and after, computed with the same rule as refreshGold. */
async function goldChanges(tx: Prisma.TransactionClient, user: { id: string }, changed: TRow[], input: TBulkInput) {
  const ids = changed.map((r) => r.id);
  if (ids.length === 0) return 0;
  const [labels, decisions] = await Promise.all([
    tx.expertLabel.findMany({ where: { responseId: { in: ids } }, select: { responseId: true, annotator: true, value: true } }),
    tx.adjudication.findMany({ where: { responseId: { in: ids } }, select: { responseId: true, value: true } }),
  ]);
  const before = new Map<number, TLabelValue[]>(ids.map((id) => [id, []]));
  const after = new Map<number, TLabelValue[]>(ids.map((id) => [id, [input.value]]));
  for (const l of labels) {
    before.get(l.responseId)!.push(l.value as TLabelValue);
    if (l.annotator !== user.id) after.get(l.responseId)!.push(l.value as TLabelValue);
  }
  const decision = new Map(decisions.map((d) => [d.responseId, d.value as TLabelValue]));
  return ids.filter((id) => resolveGold(before.get(id)!, decision.get(id) ?? null) !== resolveGold(after.get(id)!, decision.get(id) ?? null)).length;
}

export async function previewBulkRelabel(prisma: PrismaClient, user: { id: string }, target: TBulkTarget, input: TBulkInput): Promise<TBulkPreview> {
  return prisma.$transaction(async (tx) => {
    const rows = await selection(tx, user, target, false);
    const changed = rows.filter((r) => isChange(r, input));
    return {
      matched: rows.length,
      changes: changed.length,
      newLabels: changed.filter((r) => r.labelId === null).length,
      goldChanges: await goldChanges(tx, user, changed, input),
    };
  });
}

type THistoryRow = {
  labelId: number;
  responseId: number;
  annotator: string;
  oldValue: string | null;
  newValue: string | null;
  oldNote: string | null;
  newNote: string;
  version: number;
};

async function insertHistory(tx: Prisma.TransactionClient, batchId: number, changedById: string, rows: THistoryRow[]) {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO expert_label_history (label_id, response_id, annotator, changed_by_id, old_value, new_value, old_note, new_note, version, batch_id)
    SELECT t.label_id, t.response_id, t.annotator, ${changedById}, t.old_value::label_value, t.new_value::label_value, t.old_note, t.new_note, t.version, ${batchId}
    FROM unnest(${rows.map((r) => r.labelId)}::int[], ${rows.map((r) => r.responseId)}::int[], ${rows.map((r) => r.annotator)}::text[],
      ${rows.map((r) => r.oldValue)}::text[], ${rows.map((r) => r.newValue)}::text[], ${rows.map((r) => r.oldNote)}::text[],
      ${rows.map((r) => r.newNote)}::text[], ${rows.map((r) => r.version)}::int[])
      AS t(label_id, response_id, annotator, old_value, new_value, old_note, new_note, version)`;
}

export async function applyBulkRelabel(
  prisma: PrismaClient,
  user: { id: string },
  target: TBulkTarget,
  input: TBulkInput & { expectedChanges: number },
) {
  return prisma.$transaction(
    async (tx) => {
      const rows = await selection(tx, user, target, true);
      const changed = rows.filter((r) => isChange(r, input));
      if (changed.length !== input.expectedChanges) {
        throw new AppError("CONFLICT", `The selection changed since you looked: ${changed.length} labels would change now, not ${input.expectedChanges}. Check the new count and confirm again.`, {
          changes: changed.length,
        });
      }
      if (changed.length === 0) throw new AppError("INVALID", "Nothing to change: every selected response already has this label from you.");
      const batch = await tx.labelBatch.create({
        data: { kind: "bulk_relabel", datasetId: target.datasetId, filter: target.filter, value: input.value, note: input.note, changed: changed.length, createdById: user.id },
        select: { id: true },
      });
      const existing = changed.filter((r) => r.labelId !== null);
      const fresh = changed.filter((r) => r.labelId === null);
      const updated = existing.length
        ? await tx.$queryRaw<{ id: number; response_id: number; version: number }[]>`
            UPDATE expert_labels SET value = ${input.value}::label_value, note = ${input.note}, version = version + 1, updated_at = now()
            WHERE id = ANY(${existing.map((r) => r.labelId!)}::int[]) RETURNING id, response_id, version`
        : [];
      // New labels continue the version numbers of a label an undo removed (versions never repeat).
      const created = fresh.length
        ? await tx.$queryRaw<{ id: number; response_id: number; version: number }[]>`
            INSERT INTO expert_labels (response_id, annotator, user_id, value, note, version, source, updated_at)
            SELECT t.id, ${user.id}, ${user.id}, ${input.value}::label_value, ${input.note},
              coalesce((SELECT max(h.version) FROM expert_label_history h WHERE h.response_id = t.id AND h.annotator = ${user.id}), 0) + 1,
              'studio', now()
            FROM unnest(${fresh.map((r) => r.id)}::int[]) AS t(id)
            RETURNING id, response_id, version`
        : [];
      const before = new Map(changed.map((r) => [r.id, r]));
      await insertHistory(
        tx,
        batch.id,
        user.id,
        [...updated, ...created].map((l) => ({
          labelId: l.id,
          responseId: l.response_id,
          annotator: user.id,
          oldValue: before.get(l.response_id)!.value,
          newValue: input.value,
          oldNote: before.get(l.response_id)!.note,
          newNote: input.note,
          version: l.version,
        })),
      );
      await refreshGold(tx, changed.map((r) => r.id));
      await recordAudit(tx, {
        actorId: user.id,
        action: "label.bulk_relabel",
        entity: "label_batch",
        entityId: batch.id,
        data: { datasetId: target.datasetId, filter: target.filter, value: input.value, changed: changed.length },
      });
      return { batchId: batch.id, changed: changed.length };
    },
    { timeout: 120_000 },
  );
}

/**
 * Whether `actor` may undo a bulk relabel: the researcher who made it (it set their own labels),
 * or an admin. Another researcher may not rewrite someone else's labels, as a single label's
 * undo may not either.
 */
export const mayUndoBulkRelabel = (createdById: string | null, actor: { id: string; role: TRole }) => createdById === actor.id || hasRole(actor.role, "admin");

/** Undoes a bulk relabel as one step. Labels changed again after it are kept and counted. */
export async function undoBulkRelabel(prisma: PrismaClient, user: { id: string; role: TRole }, batchId: number) {
  return prisma.$transaction(
    async (tx) => {
      const [batch] = await tx.$queryRaw<{ kind: string; undone_at: Date | null; dataset_id: number | null; created_by_id: string | null }[]>`
        SELECT kind, undone_at, dataset_id, created_by_id FROM label_batches WHERE id = ${batchId} FOR UPDATE`;
      if (!batch || batch.kind !== "bulk_relabel") throw new AppError("NOT_FOUND", "This bulk relabel does not exist.");
      if (!mayUndoBulkRelabel(batch.created_by_id, user)) throw new AppError("FORBIDDEN", "Only whoever made a bulk relabel, or an admin, may undo it: it set their labels.");
      if (batch.undone_at) throw new AppError("CONFLICT", "This bulk relabel has already been undone.");
      const changes = await tx.expertLabelHistory.findMany({
        where: { batchId },
        select: { responseId: true, annotator: true, oldValue: true, oldNote: true, version: true },
      });
      const responseIds = [...new Set(changes.map((c) => c.responseId))].sort((a, b) => a - b);
      await tx.$queryRaw`SELECT id FROM responses WHERE id = ANY(${responseIds}::int[]) ORDER BY id FOR UPDATE`;
      const current = await tx.$queryRaw<{ id: number; response_id: number; annotator: string; value: string; note: string; version: number }[]>`
        SELECT l.id, l.response_id, l.annotator, l.value::text AS value, l.note, l.version
        FROM expert_labels l JOIN unnest(${changes.map((c) => c.responseId)}::int[], ${changes.map((c) => c.annotator ?? "")}::text[]) AS t(response_id, annotator)
          ON l.response_id = t.response_id AND l.annotator = t.annotator
        FOR UPDATE OF l`;
      const now = new Map(current.map((l) => [`${l.response_id}\u0000${l.annotator}`, l]));
      const restore: THistoryRow[] = [];
      for (const c of changes) {
        const label = now.get(`${c.responseId}\u0000${c.annotator}`);
        if (!label || label.version !== c.version) continue; // changed again since: kept
        restore.push({
          labelId: label.id,
          responseId: c.responseId,
          annotator: label.annotator,
          oldValue: label.value,
          newValue: c.oldValue,
          oldNote: label.note,
          newNote: c.oldNote ?? "",
          version: label.version + 1,
        });
      }
      const undo = await tx.labelBatch.create({
        data: { kind: "undo", datasetId: batch.dataset_id, changed: restore.length, createdById: user.id, undoesId: batchId },
        select: { id: true },
      });
      await insertHistory(tx, undo.id, user.id, restore);
      const back = restore.filter((r) => r.newValue !== null);
      if (back.length > 0) {
        await tx.$executeRaw`
          UPDATE expert_labels l SET value = t.value::label_value, note = t.note, version = t.version, updated_at = now()
          FROM unnest(${back.map((r) => r.labelId)}::int[], ${back.map((r) => r.newValue)}::text[], ${back.map((r) => r.newNote)}::text[], ${back.map((r) => r.version)}::int[])
            AS t(id, value, note, version)
          WHERE l.id = t.id`;
      }
      const removed = restore.filter((r) => r.newValue === null).map((r) => r.labelId);
      if (removed.length > 0) await tx.$executeRaw`DELETE FROM expert_labels WHERE id = ANY(${removed}::int[])`;
      await tx.labelBatch.update({ where: { id: batchId }, data: { undoneAt: new Date(), undoneById: user.id } });
      await refreshGold(tx, responseIds);
      await recordAudit(tx, {
        actorId: user.id,
        action: "label.bulk_undo",
        entity: "label_batch",
        entityId: batchId,
        data: { restored: restore.length, kept: changes.length - restore.length, undoBatch: undo.id },
      });
      return { restored: restore.length, kept: changes.length - restore.length };
    },
    { timeout: 120_000 },
  );
}
