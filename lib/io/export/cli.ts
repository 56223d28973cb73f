// `npm run studio -- export <kind> --dataset <name> ...`: the CLI side of exports. The export is
// recorded like the UI's (who = the CLI, when, options) and its files land in the data folder;
// --out copies them (and the manifest) to a folder of your choice.
import { cpSync, mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { createPrismaClient, setDb } from "../../db/client";
import { migrate } from "../../db/migrate";
import { AppError } from "../../errors";
import { resolveDatabase } from "../../setup/runtime";
import { createExport, exportDir, runExport } from "./run";

export const EXPORT_USAGE = `  npm run studio -- export distillation --dataset <name> --teacher <judge> [--agree <judge>,<judge>] [--no-expert-override]
        [--keep-unparseable] [--balance] [--system-message] [--split 0.9,0.05,0.05] [--seed N] [--no-parquet] [--out dir]
  npm run studio -- export rlvr --dataset <name> [--subject s]... [--system-prompt text] [--split a,b,c] [--seed N] [--out dir]
  npm run studio -- export flat --dataset <name> [--judge <judge>]... [--format jsonl|csv] [--exact-csv] [--out dir]

  --exact-csv  CSV cells exactly as stored (by default a text starting with =, +, - or @ gets a
               leading ' so that a spreadsheet shows it instead of running it)`;

function splits(text: string | undefined) {
  if (!text) return undefined;
  const [train, validation, test] = text.split(",").map(Number);
  return { train: train ?? 1, validation: validation ?? 0, test: test ?? 0 };
}

export async function runExportCli(args: string[]) {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dataset: { type: "string" },
      teacher: { type: "string" },
      agree: { type: "string" },
      "no-expert-override": { type: "boolean", default: false },
      "keep-unparseable": { type: "boolean", default: false },
      balance: { type: "boolean", default: false },
      "system-message": { type: "boolean", default: false },
      "system-prompt": { type: "string" },
      split: { type: "string" },
      seed: { type: "string", default: "0" },
      "no-parquet": { type: "boolean", default: false },
      subject: { type: "string", multiple: true },
      judge: { type: "string", multiple: true },
      format: { type: "string", default: "jsonl" },
      "exact-csv": { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  const [kind] = positionals;
  // Without arguments: the options, as the README says (not an error).
  if (!kind) {
    console.log(`usage:\n${EXPORT_USAGE}`);
    return;
  }
  if (!values.dataset) throw new AppError("INVALID", `name the dataset (--dataset <name>); usage:\n${EXPORT_USAGE}`);
  const database = await resolveDatabase({ serve: false });
  console.error(`[studio] database: ${database.where}`);
  const prisma = createPrismaClient(database.url, 3);
  setDb(prisma);
  try {
    await migrate(database.url);
    const dataset = await prisma.dataset.findUnique({ where: { name: values.dataset } });
    if (!dataset) throw new AppError("NOT_FOUND", `no dataset named "${values.dataset}"`);
    const judgeId = async (name: string) => {
      const judge = await prisma.judge.findUnique({ where: { name } });
      if (!judge) throw new AppError("NOT_FOUND", `no judge named "${name}"`);
      return judge.id;
    };
    const options =
      kind === "distillation"
        ? {
            kind,
            datasetId: dataset.id,
            teacherJudgeId: await judgeId(values.teacher ?? ""),
            agreeJudgeIds: values.agree ? await Promise.all(values.agree.split(",").map((n) => judgeId(n.trim()))) : undefined,
            expertOverride: !values["no-expert-override"],
            dropUnparseable: !values["keep-unparseable"],
            balance: values.balance,
            systemMessage: values["system-message"],
            splits: splits(values.split),
            seed: values.seed,
            parquet: !values["no-parquet"],
          }
        : kind === "rlvr"
          ? { kind, datasetId: dataset.id, subjects: values.subject ?? [], systemPrompt: values["system-prompt"], splits: splits(values.split), seed: values.seed, parquet: !values["no-parquet"] }
          : { kind, datasetId: dataset.id, judgeIds: await Promise.all((values.judge ?? []).map(judgeId)), format: values.format, spreadsheetSafe: !values["exact-csv"] };
    const started = Date.now();
    const row = await createExport(prisma, { options, actorId: null, source: "cli" });
    await runExport(prisma, database.url, row.id);
    const done = await prisma.export.findUniqueOrThrow({ where: { id: row.id } });
    if (done.status !== "completed") throw new AppError("INVALID", done.message);
    const manifest = done.manifest as { files: { name: string; rows: number; sha256: string }[]; counts: unknown };
    console.log(`export ${row.id} (${kind}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${done.rows} rows; ${exportDir(row.id)}`);
    for (const f of manifest.files) console.log(`  ${f.name}  ${f.rows} rows  sha256 ${f.sha256}`);
    console.log(`  counts ${JSON.stringify(manifest.counts)}`);
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      cpSync(exportDir(row.id), values.out, { recursive: true });
      console.log(`  copied to ${values.out}`);
    }
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}
