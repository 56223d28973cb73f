// Starting runs: one run per judge over a dataset, or over the responses a judgments filter
// selects. A run judges a fixed set: its items are cut into chunks when it is created, leaving
// out (unless forced) items that already have a judgment of this judge and template version
// with a verdict. Failed judgments (no verdict) are judged again. Workers pick the run up.
// (Imported by workers and the CLI outside Next, so no "server-only" here.)
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { judgesNamedIn, PAGE_PARAMS, parseJudgmentFilters, unknownFilterParams } from "@/lib/judgments/filters";
import { judgmentsWhere, type TJudgeRef } from "@/lib/judgments/where";
import { ZRowId } from "@/lib/db/values";
import { assertNotDeleting, lockLiveDataset } from "@/lib/datasets/delete";
import { archivedMessage, assertNotArchived } from "@/lib/judges/archive";

export const DEFAULT_CHUNK_SIZE = 200;
export const MAX_SAMPLES = 16;

/**
 * Why a judge cannot give `samples` judgments per item, or null. Several samples of a judge that
 * always answers alike (a rule, an endpoint at temperature 0) would be the same verdict k times:
 * a flip rate of 0 that says nothing about the judge.
 */
export function samplesProblem(judge: { name: string; kind: string; settings: unknown }, samples: number): string | null {
  if (samples <= 1) return null;
  if (judge.kind === "rule_based") return `${judge.name} is a rule: it gives the same verdict every time, so it is judged once per item (samples: 1)`;
  const temperature = Number((judge.settings as { temperature?: unknown } | null)?.temperature ?? 0);
  if (!(temperature > 0)) return `${judge.name} samples at temperature 0, so its samples would be one answer repeated: set its temperature above 0 (in its settings) to measure self-consistency`;
  return null;
}

export const ZStartRuns = z.object({
  datasetId: ZRowId,
  judgeIds: z.array(ZRowId).min(1, "pick at least one judge").max(20),
  /** a judgments filter as URL parameters ("verdict=3:YES&label=incorrect"); empty: the whole dataset */
  filter: z.string().max(2000).default(""),
  force: z.boolean().default(false),
  /** judgments per item: samples 0..k-1 of the judge (self-consistency); 1 is the usual run */
  samples: z.number().int().min(1, "samples: at least 1").max(MAX_SAMPLES, `samples: at most ${MAX_SAMPLES}`).default(1),
  source: z.enum(["ui", "cli", "api"]),
});
export type TStartRuns = z.input<typeof ZStartRuns>;

export type TCreatedRun = { id: number; judgeId: number; judgeName: string; total: number; skipped: number; status: string };

/** The filter's parameters, minus what does not select items (paging, the open item). */
export function runFilterParams(filter: string, datasetId: number) {
  const params = new URLSearchParams(filter);
  const unknown = unknownFilterParams(params);
  if (unknown) throw new AppError("INVALID", `invalid filter: ${unknown}`);
  for (const key of ["dataset", ...PAGE_PARAMS]) params.delete(key);
  const record: Record<string, string[]> = {};
  for (const [k, v] of params) record[k] = [...(record[k] ?? []), v];
  const parsed = parseJudgmentFilters({ ...record, dataset: String(datasetId) });
  if (!parsed.success) throw new AppError("INVALID", `invalid filter: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  params.sort();
  return { filters: parsed.data, query: params.toString() };
}

export async function createRuns(prisma: PrismaClient, input: TStartRuns, userId: string | null, options: { chunkSize?: number } = {}): Promise<TCreatedRun[]> {
  const data = ZStartRuns.parse(input);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const dataset = await prisma.dataset.findUnique({ where: { id: data.datasetId }, select: { id: true, name: true, deletingAt: true } });
  if (!dataset) throw new AppError("NOT_FOUND", `dataset ${data.datasetId} does not exist`);
  assertNotDeleting(dataset);
  const { filters, query } = runFilterParams(data.filter, data.datasetId);

  // The filter reads judges' current template versions, as the judgments list does.
  const refIds = judgesNamedIn(filters);
  const judges = await prisma.judge.findMany({
    where: { id: { in: [...new Set([...data.judgeIds, ...refIds])] } },
    select: { id: true, name: true, kind: true, templateVersion: true, settings: true, archivedAt: true },
  });
  const byId = new Map(judges.map((j) => [j.id, j]));
  // A filter on an archived judge's verdicts matches nothing in the judgments list (its columns
  // leave it out): a run over it is refused rather than selecting what the list does not show.
  for (const id of refIds) {
    const judge = byId.get(id);
    if (judge?.archivedAt) throw new AppError("INVALID", `the filter names ${archivedMessage(judge.name)}`);
  }
  const refs = new Map<number, TJudgeRef>(judges.map((j) => [j.id, { id: j.id, templateVersion: j.templateVersion }]));
  const where = judgmentsWhere(filters, refs);

  // Every judge is checked before any run is made: a refusal of the last must not leave the
  // runs of the others started (a client sending the start again would start them twice).
  const judgeIds = [...new Set(data.judgeIds)];
  for (const judgeId of judgeIds) {
    const judge = byId.get(judgeId);
    if (!judge) throw new AppError("NOT_FOUND", `judge ${judgeId} does not exist`);
    assertNotArchived(judge);
    if (judge.kind === "external") throw new AppError("INVALID", `${judge.name} is an external judge: its judgments are imported, it cannot be run`);
    const problem = samplesProblem(judge, data.samples);
    if (problem) throw new AppError("INVALID", problem);
  }

  const created: TCreatedRun[] = [];
  for (const judgeId of judgeIds) {
    const judge = byId.get(judgeId)!;
    created.push(
      await prisma.$transaction(
        async (tx) => {
          await lockLiveDataset(tx, data.datasetId);
          // Read again under a share lock: archiving a judge (lib/judges/archive.ts) waits for
          // this run to be recorded and then refuses, or this start waits and then refuses.
          const [state] = await tx.$queryRaw<{ archivedAt: Date | null }[]>`SELECT archived_at AS "archivedAt" FROM judges WHERE id = ${judgeId} FOR SHARE`;
          assertNotArchived({ name: judge.name, archivedAt: state?.archivedAt ?? null });
          const run = await tx.judgeRun.create({
            data: {
              judgeId,
              datasetId: data.datasetId,
              source: data.source,
              templateVersion: judge.templateVersion,
              force: data.force,
              samples: data.samples,
              filter: query ? { query } : {},
              settings: { ...(judge.settings as Prisma.JsonObject), templateVersion: judge.templateVersion, chunkSize },
              createdById: userId,
            },
            select: { id: true },
          });
          // An item is done when each of its samples has a verdict: with one sample, an EXISTS on
          // the unique index (response_id, judge_id, template_version, sample); with more, a count
          // of the same index's entries. `missing` is how many of its judgments the run must make.
          const missing = data.force
            ? Prisma.sql`${data.samples}::int`
            : Prisma.sql`(${data.samples} - (SELECT count(*) FROM judgments j WHERE j.response_id = r.id AND j.judge_id = ${judgeId}
                AND j.template_version = ${judge.templateVersion} AND j.sample < ${data.samples} AND j.verdict IS NOT NULL))::int`;
          const needsJudging = data.force
            ? Prisma.sql`TRUE`
            : data.samples === 1
              ? Prisma.sql`NOT EXISTS (SELECT 1 FROM judgments j WHERE j.response_id = r.id AND j.judge_id = ${judgeId}
                  AND j.template_version = ${judge.templateVersion} AND j.sample = 0 AND j.verdict IS NOT NULL)`
              : Prisma.sql`${missing} > 0`;
          // Chunks of `chunkSize` judgments (chunkSize / samples responses) in id order (index
          // responses(dataset_id, id)).
          await tx.$executeRaw`
            INSERT INTO judge_run_chunks (run_id, idx, response_ids)
            SELECT ${run.id}, s.idx, array_agg(s.id ORDER BY s.id)
            FROM (SELECT r.id, ((row_number() OVER (ORDER BY r.id) - 1) / ${Math.max(1, Math.floor(chunkSize / data.samples))})::int AS idx
                  FROM responses r WHERE ${where} AND ${needsJudging}) s
            GROUP BY s.idx`;
          // Judgments, not items. Each chunked item needs all its samples when there is one or
          // the run is forced; else some of them, counted again for the chunked items only.
          const partly = data.samples > 1 && !data.force;
          const [counts] = await tx.$queryRaw<{ total: number; scope: number }[]>`
            SELECT ${
              partly
                ? Prisma.sql`(SELECT coalesce(sum(${missing}), 0)::int FROM responses r WHERE r.id IN (SELECT unnest(response_ids) FROM judge_run_chunks WHERE run_id = ${run.id}))`
                : Prisma.sql`(SELECT coalesce(sum(cardinality(response_ids)), 0)::int * ${data.samples} FROM judge_run_chunks WHERE run_id = ${run.id})`
            } AS total,
                   (SELECT count(*)::int * ${data.samples} FROM responses r WHERE ${where}) AS scope`;
          // Nothing to run over is a mistake to say (an empty dataset, a filter that selects
          // nothing), not a run to record as completed.
          if (counts!.scope === 0) throw new AppError("INVALID", query ? "the filter selects no responses of this dataset" : "the dataset has no responses to judge");
          const total = counts!.total;
          const skipped = counts!.scope - total;
          const finished = total === 0 ? new Date() : null;
          await tx.judgeRun.update({
            where: { id: run.id },
            data: { total, skipped, ...(finished ? { status: "completed", startedAt: finished, finishedAt: finished } : {}) },
          });
          // Workers LISTEN on this channel (lib/runs/worker.ts): delivered at commit.
          if (!finished) await tx.$executeRaw`SELECT pg_notify('studio_runs', ${String(run.id)})`;
          await recordAudit(tx, { actorId: userId, action: "run.start", entity: "judge_run", entityId: run.id, data: { judgeId, datasetId: data.datasetId, filter: query, force: data.force, samples: data.samples, total, skipped, source: data.source } });
          return { id: run.id, judgeId, judgeName: judge.name, total, skipped, status: finished ? "completed" : "queued" };
        },
        { timeout: 300_000, maxWait: 30_000 },
      ),
    );
  }
  return created;
}
