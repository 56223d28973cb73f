// An export job: the rows of one snapshot of the database written to files under
// STUDIO_DATA_DIR/exports/<id>/, with a manifest (options, counts per split and class, judge
// and template versions, seed, who and when, sha256 of each file). The files depend only on the
// data and the options: the same inputs and seed give byte-identical files (the manifest adds
// who and when).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError, isAppError } from "@/lib/errors";
import { dataDir } from "@/lib/setup/runtime";
import { runnerId } from "../import-job";
import { cursorRows, queryRows, withSnapshot } from "./cursor";
import { distillationDropsQuery, distillationMessages, distillationQuery, type TDistillationRow } from "./distillation";
import { FLAT_COLUMNS, flatQuery, flatRecord } from "./flat";
import { SPLIT_NAMES, ZExportOptions, type TDistillationOptions, type TExportOptions, type TFlatOptions, type TRlvrOptions } from "./options";
import { rlvrQuery, rlvrRecord, type TRlvrRow } from "./rlvr";
import { distillationPrompt } from "./template";
import { csvLine, jsonlToParquet, LineFileWriter, messagesSchema, stringColumn, type TFileInfo } from "./writers";

export const exportDir = (id: number) => path.join(dataDir(), "exports", String(id));

export async function createExport(prisma: PrismaClient, input: { options: unknown; actorId: string | null; source: "ui" | "cli" | "api" }) {
  const options = ZExportOptions.parse(input.options);
  const dataset = await prisma.dataset.findUnique({ where: { id: options.datasetId }, select: { id: true } });
  if (!dataset) throw new AppError("NOT_FOUND", `dataset ${options.datasetId} does not exist`);
  return prisma.$transaction(async (tx) => {
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
    const body = await withSnapshot(databaseUrl, (client) =>
      options.kind === "distillation" ? writeDistillation(prisma, client, dir, options)
      : options.kind === "rlvr" ? writeRlvr(client, dir, options)
      : writeFlat(client, dir, options),
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
      data: { status: "completed", rows: body.rows, manifest, finishedAt: new Date(), message: `${body.rows} rows in ${body.files.length} file(s)` },
    });
  } catch (error) {
    if (!isAppError(error)) console.error(`[export ${exportId}] failed`, error);
    rmSync(dir, { recursive: true, force: true });
    const message = isAppError(error) ? error.message : "the export failed unexpectedly (see the server log)";
    await prisma.export.update({ where: { id: exportId }, data: { status: "failed", message, finishedAt: new Date() } });
  } finally {
    clearInterval(heartbeat);
  }
}

type TClient = Parameters<Parameters<typeof withSnapshot>[1]>[0];

async function judgeRef(prisma: PrismaClient, id: number) {
  const judge = await prisma.judge.findUnique({ where: { id }, select: { id: true, name: true, templateVersion: true, settings: true, sizeLabel: true } });
  if (!judge) throw new AppError("NOT_FOUND", `judge ${id} does not exist`);
  return judge;
}

/** Writes rows into one JSONL file per split (only the splits that get rows), counting per split and class. */
async function writeSplits<R extends unknown[]>(
  dir: string,
  rows: AsyncIterable<R>,
  splitOf: (row: R) => number,
  classOf: (row: R) => string,
  line: (row: R) => string,
) {
  const writers = new Map<number, LineFileWriter>();
  const counts: Record<string, Record<string, number>> = {};
  let total = 0;
  for await (const row of rows) {
    const split = splitOf(row);
    let writer = writers.get(split);
    if (!writer) {
      const name = `${SPLIT_NAMES[split]}.jsonl`;
      writer = new LineFileWriter(path.join(dir, name), name);
      writers.set(split, writer);
    }
    await writer.write(line(row));
    const bucket = (counts[SPLIT_NAMES[split]!] ??= {});
    const cls = classOf(row);
    bucket[cls] = (bucket[cls] ?? 0) + 1;
    total++;
  }
  const files: TFileInfo[] = [];
  for (const split of [...writers.keys()].sort()) files.push(await writers.get(split)!.close());
  return { files, counts, rows: total };
}

async function writeDistillation(prisma: PrismaClient, client: TClient, dir: string, o: TDistillationOptions): Promise<TBody> {
  const teacher = await judgeRef(prisma, o.teacherJudgeId);
  const agree = o.agreeJudgeIds ? await Promise.all(o.agreeJudgeIds.map((id) => judgeRef(prisma, id))) : null;
  const pair = agree ? { a: { id: agree[0]!.id, tv: agree[0]!.templateVersion }, b: { id: agree[1]!.id, tv: agree[1]!.templateVersion } } : undefined;
  const prompt = distillationPrompt(teacher, { systemMessage: o.systemMessage });
  const [drops] = await queryRows<Record<string, number>>(client, distillationDropsQuery(o, teacher, pair));
  const rows = cursorRows<TDistillationRow>(client, distillationQuery(o, teacher, pair));
  let fromExperts = 0;
  const out = await writeSplits(
    dir,
    rows,
    (r) => r[1],
    (r) => {
      if (r[3] === "expert") fromExperts++;
      return r[2];
    },
    (r) => JSON.stringify(distillationMessages(r, prompt)) + "\n",
  );
  const files = [...out.files];
  if (o.parquet) {
    for (const f of out.files) {
      const name = f.name.replace(/\.jsonl$/, ".parquet");
      files.push(await jsonlToParquet(path.join(dir, f.name), path.join(dir, name), name, [{ name: "messages", schema: messagesSchema("messages") }]));
    }
  }
  return {
    files,
    rows: out.rows,
    counts: out.counts,
    details: {
      teacher: { id: teacher.id, name: teacher.name, templateVersion: teacher.templateVersion },
      agreeJudges: agree?.map((j) => ({ id: j.id, name: j.name, templateVersion: j.templateVersion })) ?? null,
      template: { version: prompt.templateVersion, sha256: prompt.templateSha256, finalStepOnly: prompt.finalStepOnly, systemMessage: prompt.systemMessage },
      targetsFromExperts: fromExperts,
      candidates: drops,
    },
  };
}

async function writeRlvr(client: TClient, dir: string, o: TRlvrOptions): Promise<TBody> {
  const out = await writeSplits(dir, cursorRows<TRlvrRow>(client, rlvrQuery(o)), (r) => r[1], () => "questions", (r) => JSON.stringify(rlvrRecord(r, o)) + "\n");
  const files = [...out.files];
  if (o.parquet) {
    for (const f of out.files) {
      const name = f.name.replace(/\.jsonl$/, ".parquet");
      files.push(await jsonlToParquet(path.join(dir, f.name), path.join(dir, name), name, [{ name: "query", schema: messagesSchema("query") }, { name: "label", schema: stringColumn("label") }]));
    }
  }
  return { files, rows: out.rows, counts: out.counts, details: {} };
}

async function writeFlat(client: TClient, dir: string, o: TFlatOptions): Promise<TBody> {
  const name = `judgments.${o.format}`;
  const writer = new LineFileWriter(path.join(dir, name), name);
  if (o.format === "csv") await writer.write(csvLine([...FLAT_COLUMNS]));
  const counts: Record<string, Record<string, number>> = {};
  let rows = 0;
  for await (const row of cursorRows<unknown[]>(client, flatQuery(o))) {
    await writer.write(o.format === "csv" ? csvLine(row) : JSON.stringify(flatRecord(row)) + "\n");
    const judge = String(row[13]);
    const verdict = String(row[17] ?? "failed");
    const bucket = (counts[judge] ??= {});
    bucket[verdict] = (bucket[verdict] ?? 0) + 1;
    rows++;
  }
  const file = await writer.close();
  return { files: [{ ...file, rows }], rows, counts, details: { columns: FLAT_COLUMNS } };
}
