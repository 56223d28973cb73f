// An import job: one file into one dataset, with live counters in import_jobs. The CLI, the REST
// API and the upload wizard all create a job and run it here.
//
// The whole import is ONE transaction: a strict import with a bad line, a file that turns out
// unreadable half-way, a crash or a restart all leave the database as it was (Postgres rolls an
// unfinished transaction back by itself). Progress is written by another connection while the
// transaction runs, so it shows live on a Postgres server. The embedded database is one session:
// there other readers (and the progress writes) wait until the import commits.
import { createWriteStream, createReadStream, mkdirSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { connectClient, isConnectionLost } from "@/lib/db/connection";
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { AppError, forLog, isAppError } from "@/lib/errors";
import { dataDir } from "@/lib/setup/runtime";
import { batches } from "./batch";
import { importItems, type TItemsSummary } from "./import-items";
import { importMatched } from "./import-matched";
import { checkMapping, columnIn, guessMapping, mapRecord, RecordError, type TMapping } from "./mapping";
import type { TItemRow } from "./validate-item";
import { detectSource, readRecords, type TFormat, type TRecord, type TSource } from "./sources";
import { readJsonLines } from "./text-lines";
import type { TReject } from "./types";
import { pgSql, type TSql } from "@/lib/db/sql";
import { analyzeStatement } from "@/lib/db/statistics";
import { assertNotDeleting } from "@/lib/datasets/delete";
import { checkNewName } from "@/lib/datasets/names";

export const IMPORT_KINDS = ["items", "judgments", "labels"] as const;
export type TImportKind = (typeof IMPORT_KINDS)[number];

export type TImportSpec = {
  dataset: string;
  kind: TImportKind;
  fileName: string;
  filePath: string;
  format?: TFormat;
  mapping: TMapping;
  strict: boolean;
  /** default annotator of expert labels, default judge name of verdicts */
  annotator?: string;
  judge?: string;
  source: "ui" | "cli" | "api";
  uploadId?: string | null;
  actorId: string | null;
};

/** Imports that add at least this many rows refresh the planner's statistics when they commit. */
export const ANALYZE_AFTER_ROWS = 10_000;

export const runnerId = () => `${hostname()}:${process.pid}`;

export async function createImportJob(prisma: Pick<PrismaClient, "importJob" | "dataset">, spec: TImportSpec) {
  checkMapping(spec.mapping);
  // Told at once; the job checks again when it starts, in case the deletion came in between.
  const target = await prisma.dataset.findUnique({ where: { name: spec.dataset }, select: { name: true, deletingAt: true } });
  if (target) assertNotDeleting(target);
  const size = statSync(spec.filePath, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new AppError("NOT_FOUND", `file not found: ${spec.fileName}`);
  return prisma.importJob.create({
    data: {
      datasetName: spec.dataset,
      fileName: spec.fileName,
      filePath: spec.filePath,
      fileBytes: size,
      format: spec.format ?? "",
      kind: spec.kind,
      mapping: spec.mapping,
      options: { annotator: spec.annotator ?? null, judge: spec.judge ?? null },
      strict: spec.strict,
      source: spec.source,
      uploadId: spec.uploadId ?? null,
      createdById: spec.actorId,
    },
  });
}

/** Records of the file mapped to rows; read errors and CSV's empty cells handled. */
export async function* mappedRows(
  filePath: string,
  source: TSource,
  given: TMapping,
  onItem: { reject: (r: TReject) => void; bytes?: (n: number) => void; record?: () => void; mapping?: (m: TMapping, columns: string[]) => void },
  limit?: number,
): AsyncGenerator<TItemRow> {
  const cache = new Map<string, TMapping>();
  const isDelimited = source.format === "csv" || source.format === "tsv";
  for await (const item of readRecords(filePath, source, { onBytes: onItem.bytes, limit })) {
    onItem.record?.();
    if ("error" in item) {
      onItem.reject({ line: item.line, field: "line", reason: item.error });
      continue;
    }
    let record: TRecord = item.record;
    // A JSON file of rows wrapped in one object ({"data": [...]}), read as one line: said as such,
    // rather than as a row missing its question.
    const only = Object.keys(record);
    const list = only.length === 1 ? record[only[0]!] : undefined;
    const first = Array.isArray(list) ? (list[0] as Record<string, unknown> | null | undefined) : undefined;
    // (Not a chat: {"messages": [{"role": ...}]} is a row, if one without a reference.)
    if (!isDelimited && item.line === 1 && first && typeof first === "object" && !("role" in first)) {
      onItem.reject({ line: item.line, field: only[0]!, reason: `this is one object holding a list of rows under "${only[0]}": import a file of the rows themselves, a JSON array ([{...}, {...}]) or one object per line` });
      continue;
    }
    // Every CSV cell is text: an empty one means "no value" (no response, no label).
    if (isDelimited) record = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === "" ? null : v]));
    // Per record, so JSON lines need not share the first line's keys; given columns win.
    const keys = Object.keys(record).join("\u0000");
    let mapping = cache.get(keys);
    if (!mapping) {
      mapping = { ...guessMapping(Object.keys(record)), ...given };
      if (cache.size < 100) cache.set(keys, mapping);
      onItem.mapping?.(mapping, Object.keys(record));
    }
    let rows: TItemRow[];
    try {
      rows = mapRecord(item.line, record, mapping);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      onItem.reject({ line: item.line, field: error.field, reason: error.message });
      continue;
    }
    yield* rows;
  }
}

export type TCounters = { bytesRead: number; rowsRead: number; inserted: number; skipped: number; rejected: number; phase: string; counts: Record<string, number> };

/** Runs a created job to its end; never throws (the outcome is in the job row). */
export type TImportProgress = TCounters & { fileBytes: number };

export async function runImportJob(
  prisma: PrismaClient,
  jobId: number,
  hooks: {
    onProgress?: (p: TImportProgress) => void;
    databaseUrl?: string;
    /** after a large import has committed, before the job says it is done (the server brings the dataset's analytics up to date) */
    settle?: (datasetId: number) => Promise<unknown>;
  } = {},
): Promise<void> {
  const databaseUrl = hooks.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("runImportJob: no database URL");
  const job = await prisma.importJob.update({
    where: { id: jobId },
    data: { status: "running", startedAt: new Date(), heartbeatAt: new Date(), runner: runnerId(), phase: "reading" },
  });
  const options = job.options as { annotator?: string | null; judge?: string | null };
  const counters: TCounters = { bytesRead: 0, rowsRead: 0, inserted: 0, skipped: 0, rejected: 0, phase: "reading", counts: {} };
  const tmp = path.join(dataDir(), "tmp");
  mkdirSync(tmp, { recursive: true });
  const rejectsFile = path.join(tmp, `import-${jobId}-rejects.jsonl`);
  const rejects = createWriteStream(rejectsFile);
  let last = "";
  const reject = (r: TReject) => {
    // A question-level fault of a row with several responses is reported once, not per response.
    const id = `${r.line}\u0000${r.field}\u0000${r.reason}`;
    if (id === last) return;
    last = id;
    counters.rejected++;
    rejects.write(JSON.stringify(r) + "\n");
  };

  // Progress goes through its own connection, one write at a time, never awaited by the import.
  let flushing: Promise<unknown> | null = null;
  const flush = () => {
    hooks.onProgress?.({ ...counters, fileBytes: Number(job.fileBytes) });
    if (flushing) return;
    const { phase, counts, ...numbers } = counters;
    flushing = prisma.importJob
      .update({ where: { id: jobId }, data: { ...numbers, phase, counts, heartbeatAt: new Date() } })
      .catch((error) => console.error(`[import ${jobId}] progress not saved`, forLog(error)))
      .finally(() => (flushing = null));
  };
  const timer = setInterval(flush, 500);

  let outcome: { status: "completed" | "failed"; message: string; datasetId?: number };
  try {
    const source = await detectSource(job.filePath, job.fileName, (job.format || undefined) as TFormat | undefined);
    await prisma.importJob.update({ where: { id: jobId }, data: { format: source.format } });
    const spec = { kind: job.kind as TImportKind, mapping: job.mapping as TMapping, strict: job.strict, annotator: options.annotator ?? undefined, judge: options.judge ?? undefined };
    const result = await inTransaction(databaseUrl, async (sql) => {
      if (spec.kind === "items") {
        await checkNewName(sql, job.datasetName);
      }
      const [dataset] =
        spec.kind === "items"
          ? await sql.query<{ id: number; deletingAt: Date | null; created: boolean }>(Prisma.sql`
              INSERT INTO datasets (name, created_by_id) VALUES (${job.datasetName}, ${job.createdById})
              ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, deleting_at AS "deletingAt", (xmax = 0) AS created`)
          : await sql.query<{ id: number; deletingAt: Date | null; created: boolean }>(Prisma.sql`SELECT id, deleting_at AS "deletingAt", false AS created FROM datasets WHERE name = ${job.datasetName} FOR SHARE`);
      if (!dataset) throw new AppError("NOT_FOUND", `dataset "${job.datasetName}" does not exist: import its questions and responses first`);
      assertNotDeleting({ name: job.datasetName, deletingAt: dataset.deletingAt });
      let seenMapping: TMapping | null = null;
      // Columns the mapping names that no row has had yet: a typo in --map (or the REST mapping)
      // would otherwise reject every row for a missing question, and say nothing of the column.
      const unseen = new Map(
        Object.entries(spec.mapping)
          .filter(([, column]) => column)
          .map(([field, column]) => [column as string, field]),
      );
      const notInFile = () => [...unseen].map(([column, field]) => `"${column}" (as ${field})`).join(", ");
      const rows = mappedRows(job.filePath, source, spec.mapping, {
        reject,
        bytes: (n) => (counters.bytesRead += n),
        record: () => counters.rowsRead++,
        mapping: (m, columns) => {
          for (const [column] of unseen) if (columnIn(column, columns)) unseen.delete(column);
          // Files with a header (CSV, TSV, Parquet) have the same columns on every row: a
          // missing required column fails the file at once. JSON lines may differ line by line.
          if (seenMapping || source.format === "jsonl" || source.format === "json") return;
          seenMapping = m;
          if (unseen.size > 0) throw new AppError("INVALID", `the mapping names ${notInFile()}, which the file does not have. The file's columns: ${columns.join(", ") || "none"}`);
          const missing = requiredFields(spec.kind).filter((f) => !m[f]);
          if (missing.length > 0) {
            const mapped = Object.entries(m).map(([field, column]) => `${column} as ${field}`);
            throw new AppError(
              "INVALID",
              `no column for ${missing.join(", ")}: map them (--map ${missing[0]}=<column>, or in the wizard). The file's columns: ${columns.join(", ") || "none"}; recognised: ${mapped.join(", ") || "none"}`,
            );
          }
        },
      });
      const summary = await writeRows(sql, dataset.id, spec, rows, job.createdById, reject, counters);
      // JSON lines: a column no line had, once the whole file is read.
      if (unseen.size > 0 && counters.rowsRead > 0) throw new AppError("INVALID", `the mapping names ${notInFile()}, which no row of the file has`);
      if (spec.strict && counters.rejected > 0) {
        throw new AppError("INVALID", `${counters.rejected} bad line(s); nothing imported (strict mode)`);
      }
      if (dataset.created && summary.inserted === 0) {
        // A file without rows (an empty file, a header alone) or with none good leaves no empty
        // dataset behind to open pages on. (xmax = 0: the row was inserted, not updated.)
        await sql.query(Prisma.sql`DELETE FROM datasets WHERE id = ${dataset.id}`);
        return { datasetId: undefined, summary };
      }
      counters.phase = "committing";
      // The audit row of lib/audit/record.ts, written in the import's own transaction.
      const data = { job: jobId, file: job.fileName, read: counters.rowsRead, inserted: summary.inserted, skipped: summary.skipped, rejected: counters.rejected };
      await sql.query(Prisma.sql`
        INSERT INTO audit_events (actor_id, action, entity, entity_id, data)
        VALUES (${job.createdById}, ${`import.${spec.kind}`}, 'dataset', ${String(dataset.id)}, ${JSON.stringify(data)}::jsonb)`);
      return { datasetId: dataset.id, summary };
    });
    const s = result.summary;
    // Committed: said at once, so that a process stopped from here on (statistics, analytics) is
    // not reported as having written nothing (lib/io/jobs.ts).
    if (result.datasetId !== undefined) await prisma.importJob.update({ where: { id: jobId }, data: { datasetId: result.datasetId } });
    if (s.inserted >= ANALYZE_AFTER_ROWS && result.datasetId !== undefined) {
      // Statistics of the tables as they were before this import would have the planner read a
      // freshly imported dataset's pages the slow way until autovacuum comes by (a minute or more).
      counters.phase = "updating statistics";
      const analyze = analyzeStatement(counters.counts);
      if (analyze) await prisma.$executeRawUnsafe(analyze).catch((error) => console.error(`[import ${jobId}] ANALYZE failed`, forLog(error)));
      if (hooks.settle) {
        // So that the first visit to the dataset's analytics after the import finds its figures.
        counters.phase = "computing analytics";
        await hooks.settle(result.datasetId).catch((error) => console.error(`[import ${jobId}] computing analytics failed`, forLog(error)));
      }
    }
    outcome = {
      status: "completed",
      datasetId: result.datasetId,
      message:
        // The notes on lines of their own, after the counts (importFile hands them to the CLI).
        counters.rowsRead === 0 ? "the file holds no rows: nothing to import" : [`${s.inserted} new, ${s.skipped} already there, ${counters.rejected} rejected`, ...s.notes].join("\n"),
    };
  } catch (error) {
    if (!isAppError(error)) console.error(`[import ${jobId}] failed`, forLog(error));
    const message = isAppError(error)
      ? error.message
      : (error as { code?: string }).code === "INVALID_FILE"
        ? (error as Error).message
        : isConnectionLost(error)
          ? "the database connection was lost during the import (the server restarted or ended it); nothing was imported: run it again"
          : "the import failed unexpectedly; nothing was imported (see the server log)";
    outcome = { status: "failed", message: /nothing/i.test(message) ? message : `${message.replace(/\.$/, "")}. Nothing was imported.` };
  } finally {
    clearInterval(timer);
    await new Promise<void>((resolve) => rejects.end(resolve));
  }
  await flushing;
  try {
    counters.phase = "saving the report";
    await saveRejects(prisma, jobId, rejectsFile);
  } catch (error) {
    // The rows are in (or not) whatever became of the report: the job still says so.
    console.error(`[import ${jobId}] saving the rejected lines failed: ${(error as Error).message}`);
    outcome = { ...outcome, message: `${outcome.message} The list of rejected lines could not be saved (see the server log).`.trim() };
  } finally {
    rmSync(rejectsFile, { force: true });
  }
  const { phase: _phase, ...numbers } = counters;
  await prisma.importJob.update({
    where: { id: jobId },
    data: { ...numbers, phase: "", status: outcome.status, message: outcome.message, datasetId: outcome.datasetId ?? null, finishedAt: new Date(), heartbeatAt: new Date() },
  });
}

function requiredFields(kind: TImportKind): (keyof TMapping)[] {
  if (kind === "items") return ["question", "reference"];
  if (kind === "judgments") return ["question", "response", "verdict"];
  return ["question", "response", "expert_label"];
}


async function writeRows(
  sql: TSql,
  datasetId: number,
  spec: { kind: TImportKind; annotator?: string; judge?: string },
  rows: AsyncIterable<TItemRow>,
  actorId: string | null,
  reject: (r: TReject) => void,
  counters: TCounters,
): Promise<{ inserted: number; skipped: number; notes: string[] }> {
  if (spec.kind === "items") {
    const summary: TItemsSummary = await importItems(sql, datasetId, rows, {
      defaults: { annotator: spec.annotator, judge: spec.judge },
      actorId,
      onReject: reject,
      onProgress: (s) => {
        counters.phase = "writing";
        counters.inserted = s.inserted;
        counters.skipped = s.skipped;
        counters.counts = { questions: s.questionsInserted, responses: s.responsesInserted, labels: s.labelsInserted, judgments: s.judgmentsInserted };
      },
    });
    return summary;
  }
  return importMatched(sql, datasetId, spec.kind, rows, { annotator: spec.annotator, judge: spec.judge, actorId, reject, counters });
}

/** Moves the rejects from the spill file into import_rejects, in batches. */
async function saveRejects(prisma: PrismaClient, jobId: number, file: string) {
  const stream = createReadStream(file);
  async function* items() {
    for await (const item of readJsonLines(stream)) if ("record" in item) yield item.record as TReject;
  }
  // A reason may quote the bad input (a JSON parser's message does), NUL characters included,
  // which Postgres cannot store: the report would fail and the job stay "running".
  const storable = (text: string) => text.replaceAll("\u0000", "\uFFFD");
  for await (const batch of batches(items(), 5000)) {
    await prisma.$executeRaw`
      INSERT INTO import_rejects (job_id, line, field, reason)
      SELECT ${jobId}, line, field, reason FROM unnest(${batch.map((r) => r.line)}::int[], ${batch.map((r) => storable(r.field))}::text[], ${batch.map((r) => storable(r.reason))}::text[]) AS t(line, field, reason)`;
  }
}

/**
 * Runs `fn` in one transaction on a connection of its own. If the process dies, Postgres rolls
 * the transaction back when the connection drops: an unfinished import leaves nothing behind.
 */
async function inTransaction<T>(databaseUrl: string, fn: (sql: TSql) => Promise<T>): Promise<T> {
  const client = await connectClient(databaseUrl);
  try {
    await client.query("BEGIN");
    const result = await fn(pgSql(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
