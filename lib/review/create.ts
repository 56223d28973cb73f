// Creating a review queue: its items are chosen once, by the source (lib/review/source.ts), and
// frozen in review_items with the order they are handed out in. Members are the experts it is
// assigned to.
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { judgesNamedIn } from "@/lib/judgments/filters";
import { archivedMessage } from "@/lib/judges/archive";
import { judgmentsWhere, type TJudgeRef } from "@/lib/judgments/where";
import { sampleSize, sourceFilters, ZQueueSource, type TBand, type TQueueSource } from "./source";
import { lockLiveDataset } from "@/lib/datasets/delete";

export const MAX_QUEUE_ITEMS = 100_000;

export const ZCreateQueue = z.object({
  name: z.string().trim().min(1, "give the queue a name").max(200),
  description: z.string().trim().max(2000).default(""),
  source: ZQueueSource,
  overlap: z.coerce.number().int().min(1).max(10),
  blind: z.boolean(),
  memberIds: z.array(z.string().min(1)).min(1, "assign at least one expert").max(200),
});
export type TCreateQueue = z.input<typeof ZCreateQueue>;

const METRIC_COLUMN = { p_yes: Prisma.raw("jb.p_yes"), soft_reward: Prisma.raw("jb.soft_reward") } as const;

function bandWhere(band: TBand, judge: TJudgeRef): Prisma.Sql {
  // judgments' unique (response_id, judge_id, template_version, sample) finds the row per response.
  return Prisma.sql`EXISTS (SELECT 1 FROM judgments jb WHERE jb.response_id = r.id AND jb.judge_id = ${judge.id}
    AND jb.template_version = ${judge.templateVersion} AND jb.sample = 0
    AND ${METRIC_COLUMN[band.metric]} BETWEEN ${band.min} AND ${band.max})`;
}

/** The SQL condition over `responses r` selecting a source's rows (before sampling). */
export async function sourceWhere(prisma: Prisma.TransactionClient | PrismaClient, source: TQueueSource) {
  const filters = sourceFilters(source.filter);
  const judgeIds = new Set<number>(judgesNamedIn(filters));
  if (source.band) judgeIds.add(source.band.judgeId);
  const judges = await prisma.judge.findMany({ where: { id: { in: [...judgeIds] } }, select: { id: true, name: true, templateVersion: true, archivedAt: true } });
  const refs = new Map<number, TJudgeRef>(judges.map((j) => [j.id, { id: j.id, templateVersion: j.templateVersion }]));
  const missing = [...judgeIds].filter((id) => !refs.has(id));
  if (missing.length > 0) throw new AppError("INVALID", `Unknown judge ${missing.join(", ")}.`);
  // As the judgments list, which leaves archived judges out: a queue does not pick by them.
  const archived = judges.find((j) => j.archivedAt !== null);
  if (archived) throw new AppError("INVALID", `the filter names ${archivedMessage(archived.name)}`);
  const parts = [judgmentsWhere(filters, refs)];
  if (source.band) parts.push(bandWhere(source.band, refs.get(source.band.judgeId)!));
  return { datasetId: filters.dataset, where: Prisma.join(parts, " AND ") };
}

/**
 * How many items a source would give (for the form's live count): `matched` by the filter and the
 * band, `filterMatched` by the filter alone (the same without a band), and `items` after sampling.
 */
export async function countSource(prisma: PrismaClient, source: TQueueSource) {
  const { where } = await sourceWhere(prisma, source);
  const count = async (condition: Prisma.Sql) => (await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM responses r WHERE ${condition}`)[0]?.n ?? 0;
  const matched = await count(where);
  const filterMatched = source.band ? await count((await sourceWhere(prisma, { ...source, band: undefined })).where) : matched;
  return { matched, filterMatched, items: source.sample ? sampleSize(source.sample, matched) : matched };
}

export async function createQueue(prisma: PrismaClient, user: { id: string }, input: TCreateQueue) {
  const data = ZCreateQueue.parse(input);
  return prisma.$transaction(
    async (tx) => {
      const { datasetId, where } = await sourceWhere(tx, data.source);
      await lockLiveDataset(tx, datasetId);
      const memberIds = [...new Set(data.memberIds)];
      const members = await tx.user.findMany({ where: { id: { in: memberIds } }, select: { id: true, role: true, name: true } });
      const notExperts = members.filter((m) => !hasRole(m.role, "expert"));
      if (members.length !== memberIds.length) throw new AppError("INVALID", "Some assigned users do not exist.");
      if (notExperts.length > 0) throw new AppError("INVALID", `Only experts (or above) can label: ${notExperts.map((m) => m.name).join(", ")} cannot.`);
      if (data.overlap > memberIds.length) {
        throw new AppError("INVALID", `Overlap ${data.overlap} needs at least ${data.overlap} assigned experts (you assigned ${memberIds.length}).`);
      }

      const [count] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM responses r WHERE ${where}`;
      const matched = count?.n ?? 0;
      const take = data.source.sample ? sampleSize(data.source.sample, matched) : matched;
      if (take === 0) throw new AppError("INVALID", "This selection has no responses: nothing to review.");
      if (take > MAX_QUEUE_ITEMS) throw new AppError("INVALID", `A queue holds at most ${MAX_QUEUE_ITEMS.toLocaleString("en-US")} items; this selection has ${take.toLocaleString("en-US")}. Sample it.`);

      const queue = await tx.reviewQueue.create({
        data: { datasetId, name: data.name, description: data.description, source: data.source, overlap: data.overlap, blind: data.blind, itemCount: take, createdById: user.id },
        select: { id: true },
      });
      // A sample is the first `take` rows in md5(seed:id) order, and is handed out in that order;
      // otherwise items go out in response id order.
      const order = data.source.sample
        ? Prisma.sql`md5(${String(data.source.sample.seed)} || ':' || r.id::text), r.id`
        : Prisma.sql`r.id`;
      await tx.$executeRaw`
        INSERT INTO review_items (queue_id, response_id, position)
        SELECT ${queue.id}, s.id, row_number() OVER (ORDER BY s.ord)::int
        FROM (SELECT r.id, row_number() OVER (ORDER BY ${order}) AS ord FROM responses r WHERE ${where} ORDER BY ${order} LIMIT ${take}) s`;
      await tx.reviewQueueMember.createMany({ data: memberIds.map((userId) => ({ queueId: queue.id, userId })) });
      await recordAudit(tx, {
        actorId: user.id,
        action: "queue.create",
        entity: "review_queue",
        entityId: queue.id,
        data: { datasetId, source: data.source, overlap: data.overlap, blind: data.blind, items: take, members: memberIds },
      });
      return { id: queue.id, itemCount: take };
    },
    { timeout: 120_000 },
  );
}
