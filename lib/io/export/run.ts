// An export job: the rows of one snapshot of the database written to files under
// STUDIO_DATA_DIR/exports/<id>/, with a manifest (options, counts per split and class, judge
// and template versions, seed, who and when, sha256 of each file). The files depend only on the
// data and the options: the same inputs and seed give byte-identical files (the manifest adds
// who and when).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError, forLog, isAppError } from "@/lib/errors";
import { dataDir } from "@/lib/setup/runtime";
import { runnerId } from "../import-job";
import { copyCsv } from "./copy-out";
import { rawRows, withSnapshot, type TRawRow, type TSnapshot } from "./cursor";
import { DISTILLATION_FIELDS as D, distillationDropsQuery, distillationLine, distillationMessages, distillationQuery } from "./distillation";
import { isConnectionLost } from "@/lib/db/connection";
import { FLAT_COLUMNS, flatCountsQuery, flatJsonQuery, flatQuery } from "./flat";
import { SPLIT_NAMES, ZExportOptions, type TSplit, type TDistillationOptions, type TExportOptions, type TFlatOptions, type TRlvrOptions } from "./options";
import { RLVR_FIELDS as R, rlvrQuery } from "./rlvr";
import { DEFAULT_SYSTEM_MESSAGE } from "@/lib/verifier/template";
import { distillationPrompt } from "./template";
import { csvLine, LineFileWriter, messagesSchema, ParquetFileWriter, stringColumn, type TFileInfo } from "./writers";
import { lockLiveDataset } from "@/lib/datasets/delete";
import { assertNotArchived } from "@/lib/judges/archive";

export const exportDir = (id: number) => path.join(dataDir(), "exports", String(id));

export async function createExport(prisma: PrismaClient, input: { options: unknown; actorId: string | null; source: "ui" | "cli" | "api" }) {
  const options = ZExportOptions.parse(input.options);
  return prisma.$transaction(async (tx) => {
    // Exists, and not being deleted (lib/datasets/delete.ts), until this export's row is committed.
    await lockLiveDataset(tx, options.datasetId);
    // The judges it names exist: a typo is refused now, not by an export that fails later.
    const named = options.kind === "distillation" ? [options.teacherJudgeId, ...(options.agreeJudgeIds ?? [])] : options.kind === "flat" ? options.judgeIds : [];
    const found = await tx.judge.findMany({ where: { id: { in: named } }, select: { id: true, name: true, archivedAt: true } });
    const missing = named.filter((id) => !found.some((j) => j.id === id));
    if (missing.length > 0) throw new AppError("NOT_FOUND", `judge ${missing.join(", ")} does not exist`);
    for (const judge of found) assertNotArchived(judge);
    const row = await tx.export.create({ data: { kind: options.kind, datasetId: options.datasetId, options, source: input.source, createdById: input.actorId } });
    await recordAudit(tx, { actorId: input.actorId, action: `export.${options.kind}`, entity: "export", entityId: row.id, data: { datasetId: options.datasetId, options } });
    return row;
  });
}

type TBody = { files: TFileInfo[]; rows: number; counts: Record<string, Record<string, number>>; details: Record<string, unknown> };

/** Runs a created export to its end; never throws (the outcome is in the export row). */
export async function runExport(prisma: PrismaClient, databaseUrl: string, exportId: number): Promise<void> {
  const row = await prisma.export.update({ where: { id: exportId }, data: { status: "running", runner: runnerId(), heartbeatAt: new Date() } });
  const heartbeat = setInterval(() => void prisma.export.update({ where: { id: exportId }, data: { heartbeatAt: new Date() } }).catch(() => {}), 5000);
  const dir = exportDir(exportId);
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const options = ZExportOptions.parse(row.options);
    const dataset = await prisma.dataset.findUniqueOrThrow({ where: { id: options.datasetId }, select: { id: true, name: true } });
    // Read with Prisma before the snapshot opens: the embedded database serves one transaction
    // at a time, so a Prisma query inside the snapshot would wait for it to end.
    const judges = options.kind === "distillation" ? await distillationJudges(prisma, options) : null;
    const body = await withSnapshot(databaseUrl, (snapshot) =>
      options.kind === "distillation" ? writeDistillation(snapshot, dir, options, judges!)
      : options.kind === "rlvr" ? writeRlvr(snapshot, dir, options)
      : writeFlat(snapshot, dir, options),
    );
    const creator = row.createdById ? await prisma.user.findUnique({ where: { id: row.createdById }, select: { email: true } }) : null;
    const manifest = {
      export: exportId,
      kind: options.kind,
      dataset: { id: dataset.id, name: dataset.name },
      options: options as TExportOptions,
      seed: "seed" in options ? options.seed : null,
      rows: body.rows,
      counts: body.counts,
      ...body.details,
      files: body.files,
      createdBy: creator?.email ?? null,
      createdAt: new Date().toISOString(),
    };
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    await prisma.export.update({
      where: { id: exportId },
      data: { status: "completed", rows: body.rows, manifest, finishedAt: new Date(), message: `${body.rows.toLocaleString("en-US")} rows in ${body.files.length} file${body.files.length === 1 ? "" : "s"}` },
    });
  } catch (error) {
    if (!isAppError(error)) console.error(`[export ${exportId}] failed`, forLog(error));
    rmSync(dir, { recursive: true, force: true });
    const message = isAppError(error)
      ? error.message
      : isConnectionLost(error)
        ? "the database connection was lost during the export (the server restarted or ended it); no files were kept: run it again"
        : "the export failed unexpectedly (see the server log)";
    await prisma.export.update({ where: { id: exportId }, data: { status: "failed", message, finishedAt: new Date() } });
  } finally {
    clearInterval(heartbeat);
  }
}

async function judgeRef(prisma: PrismaClient, id: number) {
  const judge = await prisma.judge.findUnique({ where: { id }, select: { id: true, name: true, templateVersion: true, settings: true, sizeLabel: true } });
  if (!judge) throw new AppError("NOT_FOUND", `judge ${id} does not exist`);
  return judge;
}

const text = (field: Buffer | null | undefined) => field?.toString("utf8") ?? "";

type TParquetSpec = { columns: ConstructorParameters<typeof ParquetFileWriter>[2]; row: (row: TRawRow) => unknown[] };

/**
 * Writes rows (split first) as JSONL lines into one JSONL file per split, and the same
 * rows as Parquet when asked, in one pass. Every split given a share of the questions gets its
 * files, rows or not (a small data set may leave a 5% test split empty): whoever loads
 * train/validation/test finds each, and the manifest says it is empty. Counts per split and class
 * as the rows go by.
 */
async function writeSplits(
  dir: string,
  splits: Record<TSplit, number>,
  batches: AsyncIterable<TRawRow[]>,
  line: (row: TRawRow) => Buffer | Buffer[],
  classOf: (row: TRawRow) => string,
  parquet: TParquetSpec | null,
) {
  const writers = new Map<number, { jsonl: LineFileWriter; parquet: ParquetFileWriter | null }>();
  const counts: Record<string, Record<string, number>> = {};
  const open = (split: number) => {
    const name = SPLIT_NAMES[split]!;
    const writer = {
      jsonl: new LineFileWriter(path.join(dir, `${name}.jsonl`), `${name}.jsonl`),
      parquet: parquet && new ParquetFileWriter(path.join(dir, `${name}.parquet`), `${name}.parquet`, parquet.columns),
    };
    writers.set(split, writer);
    counts[name] = {};
    return writer;
  };
  for (const [split, name] of SPLIT_NAMES.entries()) if (splits[name] > 0) open(split);
  let total = 0;
  for await (const rows of batches) {
    for (const row of rows) {
      const split = Number(text(row[0]!));
      const writer = writers.get(split) ?? open(split);
      await writer.jsonl.writeLine(line(row));
      if (writer.parquet) await writer.parquet.write(parquet!.row(row));
      const bucket = (counts[SPLIT_NAMES[split]!] ??= {});
      const cls = classOf(row);
      bucket[cls] = (bucket[cls] ?? 0) + 1;
      total++;
    }
  }
  const jsonl: TFileInfo[] = [];
  const parquetFiles: TFileInfo[] = [];
  for (const split of [...writers.keys()].sort()) {
    const { jsonl: j, parquet: p } = writers.get(split)!;
    jsonl.push(await j.close());
    if (p) parquetFiles.push(await p.close());
  }
  return { files: [...jsonl, ...parquetFiles], counts, rows: total };
}

async function distillationJudges(prisma: PrismaClient, o: TDistillationOptions) {
  const teacher = await judgeRef(prisma, o.teacherJudgeId);
  const agree = o.agreeJudgeIds ? await Promise.all(o.agreeJudgeIds.map((id) => judgeRef(prisma, id))) : null;
  return { teacher, agree };
}

async function writeDistillation(snapshot: TSnapshot, dir: string, o: TDistillationOptions, { teacher, agree }: Awaited<ReturnType<typeof distillationJudges>>): Promise<TBody> {
  const pair = agree ? { a: { id: agree[0]!.id, tv: agree[0]!.templateVersion }, b: { id: agree[1]!.id, tv: agree[1]!.templateVersion } } : undefined;
  const prompt = distillationPrompt(teacher, { systemMessage: o.systemMessage });
  // The manifest's candidate counts on a second connection of the same snapshot, while the rows stream.
  const dropping = await snapshot.aside<Record<string, number>>(distillationDropsQuery(o, teacher, pair));
  // Counted in the rows written: after the unparseable are dropped and the classes balanced.
  let fromExperts = 0;
  let overrides = 0;
  const messages = distillationMessages(prompt);
  const out = await writeSplits(
    dir,
    o.splits,
    rawRows(snapshot, distillationQuery(o, teacher, prompt, pair)),
    distillationLine(prompt),
    (r) => {
      const source = text(r[D.source]);
      if (source !== "teacher") fromExperts++;
      if (source === "override") overrides++;
      return text(r[D.target]);
    },
    o.parquet
      ? {
          columns: [{ name: "messages", schema: messagesSchema("messages") }],
          row: (r) => [messages(r)],
        }
      : null,
  );
  const [drops] = await dropping.rows;
  return {
    files: out.files,
    rows: out.rows,
    counts: out.counts,
    details: {
      teacher: { id: teacher.id, name: teacher.name, templateVersion: teacher.templateVersion },
      agreeJudges: agree?.map((j) => ({ id: j.id, name: j.name, templateVersion: j.templateVersion })) ?? null,
      template: { version: prompt.templateVersion, sha256: prompt.templateSha256, finalStepOnly: prompt.finalStepOnly, systemMessage: prompt.systemMessage },
      targetsFromExperts: fromExperts,
      // balanced_out: left out to balance the classes (balancing is the last step)
      candidates: { ...drops, expert_overrides: overrides, balanced_out: (drops?.kept ?? out.rows) - out.rows },
    },
  };
}

async function writeRlvr(snapshot: TSnapshot, dir: string, o: TRlvrOptions): Promise<TBody> {
  const out = await writeSplits(
    dir,
    o.splits,
    rawRows(snapshot, rlvrQuery(o)),
    (r) => r[R.line]!,
    () => "questions",
    o.parquet
      ? {
          columns: [{ name: "query", schema: messagesSchema("query") }, { name: "label", schema: stringColumn("label") }],
          // the texts' bytes as they came (the Parquet writer takes UTF-8 bytes as they are)
          row: (r) => [[{ role: "system", content: r[R.system] ?? "" }, { role: "user", content: r[R.question] ?? "" }], r[R.reference] ?? ""],
        }
      : null,
  );
  // The system message a question imported without one gets: the manifest says which (the released format always has one).
  return { files: out.files, rows: out.rows, counts: out.counts, details: { systemPrompt: o.systemPrompt ?? DEFAULT_SYSTEM_MESSAGE } };
}

async function writeFlat(snapshot: TSnapshot, dir: string, o: TFlatOptions): Promise<TBody> {
  const name = `judgments.${o.format}`;
  const writer = new LineFileWriter(path.join(dir, name), name);
  // The manifest's counts on a second connection of the same snapshot, while the rows stream.
  const counting = await snapshot.aside<{ judge: string; verdict: string; n: number }>(flatCountsQuery(o));
  if (o.format === "csv" && snapshot.canCopy) {
    // The server prints the CSV (header included): the file is its bytes.
    for await (const chunk of copyCsv(snapshot.client, flatQuery(o, o.spreadsheetSafe))) await writer.write(chunk);
  } else if (o.format === "csv") {
    await writer.write(csvLine([...FLAT_COLUMNS]));
    for await (const batch of rawRows(snapshot, flatQuery(o, o.spreadsheetSafe))) for (const row of batch) await writer.write(csvLine(row.map((v) => v && text(v))));
  } else {
    for await (const batch of rawRows(snapshot, flatJsonQuery(o))) {
      for (const row of batch) await writer.writeLine(row[0]!);
    }
  }
  const file = await writer.close();
  const counts: Record<string, Record<string, number>> = {};
  let rows = 0;
  for (const { judge, verdict, n } of await counting.rows) {
    (counts[judge] ??= {})[verdict] = n;
    rows += n;
  }
  return { files: [{ ...file, rows }], rows, counts, details: { columns: FLAT_COLUMNS } };
}
