// `npm run studio -- <command>`: the studio from the terminal, on the same database as the app
// (DATABASE_URL, or the embedded one: the running studio's, else opened here). Imports and
// exports made here are the same jobs as the UI's and show on its Imports and Exports pages; judge
// runs started here are worked by the studio's workers (or by this process, while it waits).
import { parseArgs } from "node:util";
import { createPrismaClient, setDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { importFile } from "../lib/io/import-file";
import { IMPORT_KINDS, type TImportKind } from "../lib/io/import-job";
import { parseMappingText } from "../lib/io/mapping";
import { FORMATS, type TFormat } from "../lib/io/sources";
import { runExportCli, EXPORT_USAGE } from "../lib/io/export/cli";
import { ensureAuthSecret, resolveDatabase } from "../lib/setup/runtime";
import { importProgressLine } from "./import-progress";
import { judgeCommand } from "./studio-judge";
import { ZodError } from "zod";
import { isAppError } from "../lib/errors";
import { zodMessage } from "../lib/http/zod-message";

const USAGE = `usage:
  npm run studio -- import <file> --dataset <name> [--map field=column,...] [--strict]
        [--kind items|judgments|labels] [--format jsonl|json|csv|tsv|parquet] [--annotator name] [--judge name]
${EXPORT_USAGE}
  npm run studio -- judge --dataset <name|id> --judge <name|id> [--judge ...] [--filter "label=incorrect"] [--force] [--samples k] [--no-wait]`;

async function runImport(args: string[]) {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dataset: { type: "string" },
      map: { type: "string" },
      format: { type: "string" },
      kind: { type: "string", default: "items" },
      annotator: { type: "string" },
      judge: { type: "string" },
      strict: { type: "boolean", default: false },
    },
  });
  const [file] = positionals;
  if (!file || !values.dataset) throw new UsageError();
  if (values.format && !(FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
  if (!(IMPORT_KINDS as readonly string[]).includes(values.kind!)) throw new UsageError(`--kind must be one of ${IMPORT_KINDS.join(", ")}`);
  const database = await resolveDatabase({ serve: false });
  console.error(`[studio] database: ${database.where}`);
  const prisma = createPrismaClient(database.url, 3);
  setDb(prisma);
  try {
    await migrate(database.url);
    const started = Date.now();
    const result = await importFile(prisma, {
      path: file,
      dataset: values.dataset,
      kind: values.kind as TImportKind,
      format: values.format as TFormat | undefined,
      mapping: parseMappingText(values.map),
      strict: values.strict,
      annotator: values.annotator,
      judge: values.judge,
      source: "cli",
      databaseUrl: database.url,
      onProgress: (p) => process.stderr.write(importProgressLine(p, started)),
    });
    process.stderr.write("\n");
    if (result.read === 0) {
      console.log(`${file}: the file holds no rows: nothing to import${result.datasetId === null ? ` (no dataset "${values.dataset}" created)` : ""}`);
      return;
    }
    console.log(
      `imported into "${values.dataset}" (${result.datasetId === null ? "not created: no line was good" : `id ${result.datasetId}`}, job ${result.jobId}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${result.read} rows read; new: ${result.questionsInserted} questions, ${result.responsesInserted} responses, ` +
        `${result.labelsInserted} expert labels, ${result.judgmentsInserted} judgments; ${result.skipped} already there; ${result.rejected.length} rejected`,
    );
    for (const note of result.notes) console.log(`note: ${note}`);
    for (const r of result.rejected.slice(0, 20)) console.log(`  line ${r.line}: ${r.field}: ${r.reason}`);
    if (result.rejected.length > 20) console.log(`  … and ${result.rejected.length - 20} more (all of them on the job's page)`);
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

async function runJudge(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: "string" },
      judge: { type: "string", multiple: true },
      filter: { type: "string" },
      force: { type: "boolean", default: false },
      samples: { type: "string" },
      "no-wait": { type: "boolean", default: false },
    },
  });
  if (!values.dataset || (values.judge?.length ?? 0) === 0) throw new UsageError();
  // Digits only: "3x" or "" is a mistake to say, not 3 or 1 (createRuns says what the range is).
  if (values.samples !== undefined && !/^\d{1,3}$/.test(values.samples)) throw new UsageError(`--samples takes a whole number of judgments per item, not "${values.samples}"`);
  // The worker in this process decrypts stored API keys with the studio's secret.
  process.env.AUTH_SECRET ??= ensureAuthSecret();
  const database = await resolveDatabase({ serve: false });
  console.error(`[studio] database: ${database.where}`);
  const prisma = createPrismaClient(database.url, 4);
  setDb(prisma);
  try {
    await migrate(database.url);
    await judgeCommand(prisma, {
      dataset: values.dataset,
      judges: values.judge!,
      filter: values.filter,
      force: values.force,
      samples: values.samples === undefined ? 1 : Number(values.samples),
      wait: !values["no-wait"],
      databaseUrl: database.url,
      embedded: database.embedded,
    });
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

class UsageError extends Error {}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "import") await runImport(rest);
  else if (command === "export") await runExportCli(rest);
  else if (command === "judge") await runJudge(rest);
  else {
    console.log(USAGE);
    process.exit(command === "--help" || command === "-h" ? 0 : 2);
  }
}

main().catch((error) => {
  process.stderr.write("\n");
  if (error instanceof UsageError) {
    if (error.message) console.error(`error: ${error.message}`);
    console.error(USAGE);
    process.exit(2);
  }
  if (isAppError(error)) {
    console.error(`error: ${error.message}`);
    if (Array.isArray(error.details)) {
      for (const r of error.details.slice(0, 20)) console.error(`  line ${r.line}: ${r.field}: ${r.reason}`);
      if (error.details.length > 20) console.error(`  … and ${error.details.length - 20} more`);
    }
  } else if (error instanceof ZodError) console.error(`error: ${zodMessage(error)}`);
  else console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
