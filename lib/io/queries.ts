// Reads for the imports and exports pages and their REST routes.
import "server-only";
import { db } from "@/lib/db/client";
import { judgeName } from "@/lib/judges/name";
import { datasetFacets } from "@/lib/stats/overview-queries";
import { describeExportOptions } from "./export/options";
import { STALE_MS } from "./jobs";
import { datasetJudges, listDatasetNames } from "@/lib/datasets/queries";

const IMPORT_SELECT = {
  id: true, datasetName: true, datasetId: true, fileName: true, fileBytes: true, format: true, kind: true, mapping: true, options: true,
  strict: true, source: true, status: true, phase: true, message: true, bytesRead: true, rowsRead: true, inserted: true, skipped: true,
  rejected: true, counts: true, heartbeatAt: true, createdAt: true, startedAt: true, finishedAt: true, uploadId: true, rerunAsId: true,
  createdById: true, createdBy: { select: { name: true, email: true } }, upload: { select: { fileDeletedAt: true } },
} as const;

export type TImportJobView = ReturnType<typeof toView>;

function toView({ upload, ...job }: Awaited<ReturnType<typeof findJob>> & object) {
  return {
    ...job,
    /** the upload it read was removed from the data folder (lib/io/uploads.ts sweepUploads) */
    uploadFileDeleted: upload?.fileDeletedAt != null,
    fileBytes: Number(job.fileBytes),
    bytesRead: Number(job.bytesRead),
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    heartbeatAt: job.heartbeatAt?.toISOString() ?? null,
    /** an import is one transaction: a failed or interrupted one kept none of the rows it wrote (`inserted` says how many it had written) */
    rolledBack: job.status === "failed" || job.status === "interrupted",
    /** running, but no sign of life for a while (a process that died since the last start-up) */
    isSilent: job.status === "running" && !!job.heartbeatAt && Date.now() - job.heartbeatAt.getTime() > STALE_MS,
  };
}

const findJob = (id: number) => db().importJob.findUnique({ where: { id }, select: IMPORT_SELECT });

export async function getImportJob(id: number) {
  const job = await findJob(id);
  if (!job) return null;
  const rejects = await db().importReject.findMany({ where: { jobId: id }, orderBy: [{ line: "asc" }, { id: "asc" }], take: 200, select: { line: true, field: true, reason: true } });
  return { ...toView(job), rejects };
}

/** Newest first (index import_jobs(created_at)). */
export async function listImportJobs(limit = 50) {
  const jobs = await db().importJob.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit, select: IMPORT_SELECT });
  return jobs.map(toView);
}

/** Every reject of a job in file order, in pages (index import_rejects(job_id, line)). */
export async function* allRejects(jobId: number) {
  let after = { line: 0, id: 0 };
  for (;;) {
    const page = await db().importReject.findMany({
      where: { jobId, OR: [{ line: { gt: after.line } }, { line: after.line, id: { gt: after.id } }] },
      orderBy: [{ line: "asc" }, { id: "asc" }],
      take: 5000,
    });
    if (page.length === 0) return;
    yield* page;
    after = { line: page.at(-1)!.line, id: page.at(-1)!.id };
  }
}

const EXPORT_SELECT = {
  id: true, kind: true, datasetId: true, options: true, source: true, status: true, message: true, rows: true, manifest: true,
  createdAt: true, finishedAt: true, dataset: { select: { name: true } }, createdBy: { select: { name: true, email: true } },
  createdById: true, filesDeletedAt: true, filesDeletedBy: { select: { name: true } },
} as const;

const exportView = <T extends { createdAt: Date; finishedAt: Date | null; filesDeletedAt: Date | null; dataset: { name: string } | null; manifest: unknown }>(e: T) => ({
  ...e,
  // A deleted dataset's name lives on in the export's manifest.
  datasetName: e.dataset?.name ?? (e.manifest as { dataset?: { name?: string } } | null)?.dataset?.name ?? null,
  datasetDeleted: e.dataset === null,
  createdAt: e.createdAt.toISOString(),
  finishedAt: e.finishedAt?.toISOString() ?? null,
  filesDeletedAt: e.filesDeletedAt?.toISOString() ?? null,
});

/** Judges by id as the exports list names them (a deleted judge by its id). */
async function judgeNames(): Promise<(id: number) => string> {
  const judges = await db().judge.findMany({ select: { id: true, name: true, sizeLabel: true } });
  const names = new Map(judges.map((j) => [j.id, judgeName(j)]));
  return (id) => names.get(id) ?? `judge ${id}`;
}

/** Newest first (index exports(created_at)), each with its options in a few words. */
export async function listExports(limit = 50) {
  const [rows, names] = await Promise.all([db().export.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit, select: EXPORT_SELECT }), judgeNames()]);
  return rows.map((e) => ({ ...exportView(e), summary: describeExportOptions(e.options, names) }));
}

export async function getExport(id: number) {
  const e = await db().export.findUnique({ where: { id }, select: EXPORT_SELECT });
  return e ? { ...exportView(e), summary: describeExportOptions(e.options, await judgeNames()) } : null;
}
export type TExportView = NonNullable<Awaited<ReturnType<typeof getExport>>>;

/** What the export form offers: datasets and, per dataset, the judges with judgments there and its subjects. */
export async function exportChoices() {
  const datasets = (await listDatasetNames()).sort((a, b) => a.name.localeCompare(b.name));
  // Each dataset's judges as every view has them (runs and reward requests; archived ones left out).
  const judges = await datasetJudges(datasets.map((d) => d.id));
  // The filter pickers' subjects (kept per dataset, a stale list is fine for a picker).
  const facets = await Promise.all(datasets.map((d) => datasetFacets(d.id, { allowStale: true })));
  return datasets.map((d, i) => ({
    ...d,
    judges: (judges.get(d.id) ?? []).map((j) => ({ id: j.id, name: j.name, sizeLabel: j.sizeLabel })),
    subjects: facets[i]!.value.subjects,
  }));
}
