// Putting a judge out of use, and back. Judges are never deleted: their judgments are the record
// of what a reward was, and exports name them. A test judge, or one superseded by a new endpoint,
// is archived instead: it leaves every picker, the judgments list's columns, analytics and exports
// (all of which read a dataset's judges through datasetJudges), and runs, the reward endpoint,
// imports and exports refuse it by name. Restoring it brings its judgments back as they were.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";

type Db = PrismaClient | Prisma.TransactionClient;

/** The message every refusal of an archived judge gives: what it is, and how to use it again. */
export function archivedMessage(name: string): string {
  return `judge "${name}" is archived: restore it on its page (Judges) to use it again`;
}

/** Throws when the judge is archived; `judge` as read with `archivedAt`. */
export function assertNotArchived(judge: { name: string; archivedAt: Date | null }): void {
  if (judge.archivedAt !== null) throw new AppError("INVALID", archivedMessage(judge.name));
}

export async function setJudgeArchived(prisma: PrismaClient, judgeId: number, archived: boolean, userId: string | null) {
  return prisma.$transaction(async (tx) => {
    // Locked against a run being started meanwhile (createRuns reads the judge in its transaction).
    const [judge] = await tx.$queryRaw<{ name: string; archived_at: Date | null }[]>`
      SELECT name, archived_at FROM judges WHERE id = ${judgeId} FOR UPDATE`;
    if (!judge) throw new AppError("NOT_FOUND", `judge ${judgeId} does not exist`);
    if ((judge.archived_at !== null) === archived) return { id: judgeId, name: judge.name, archivedAt: judge.archived_at };
    if (archived) await assertNoLiveRun(tx, judgeId, judge.name);
    const [row] = await tx.$queryRaw<{ archived_at: Date | null }[]>`
      UPDATE judges SET archived_at = ${archived ? new Date() : null}, updated_at = now() WHERE id = ${judgeId} RETURNING archived_at`;
    await recordAudit(tx, { actorId: userId, action: archived ? "judge.archive" : "judge.restore", entity: "judge", entityId: judgeId, data: { name: judge.name } });
    return { id: judgeId, name: judge.name, archivedAt: row!.archived_at };
  });
}

/** A run still judging would go on writing judgments nobody sees: it is cancelled or finished first. */
async function assertNoLiveRun(tx: Db, judgeId: number, name: string) {
  const live = await tx.judgeRun.findFirst({ where: { judgeId, status: { in: ["queued", "running", "paused"] } }, select: { id: true, status: true } });
  if (live) throw new AppError("CONFLICT", `judge "${name}" has run ${live.id} ${live.status}: cancel it, or let it finish, before archiving the judge`);
}
