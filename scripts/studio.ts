// `npm run studio -- <command>`: the studio from the terminal, on the same database as the app
// (DATABASE_URL, or the embedded one: the running studio's, else opened here).
//   import <file> --dataset <name> [--map field=column,...] [--format jsonl|csv|tsv] [--strict]
//   judge --dataset <name|id> --judge <name|id> [--judge ...] [--filter "<judgments filter>"] [--force] [--no-wait]
import { parseArgs } from "node:util";
import { createPrismaClient } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { importFile, parseMapping } from "../lib/io/import-file";
import type { TFormat } from "../lib/io/read-table";
import { resolveDatabase } from "../lib/setup/runtime";
import { isAppError } from "../lib/errors";
import { ensureAuthSecret } from "../lib/setup/runtime";
import { judgeCommand } from "./studio-judge";

const USAGE = `usage: npm run studio -- import <file> --dataset <name> [--map field=column,...] [--format jsonl|csv|tsv] [--strict]
       npm run studio -- judge --dataset <name|id> --judge <name|id> [--judge ...] [--filter "label=incorrect"] [--force] [--no-wait]`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      dataset: { type: "string" },
      map: { type: "string" },
      format: { type: "string" },
      strict: { type: "boolean", default: false },
      judge: { type: "string", multiple: true },
      filter: { type: "string" },
      force: { type: "boolean", default: false },
      "no-wait": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, file] = positionals;
  const valid = command === "import" ? !!file && !!values.dataset : command === "judge" ? !!values.dataset && (values.judge?.length ?? 0) > 0 : false;
  if (values.help || !valid) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  process.env.AUTH_SECRET ??= ensureAuthSecret();
  const database = await resolveDatabase({ serve: false });
  const prisma = createPrismaClient(database.url, 4);
  try {
    await migrate(database.url);
    if (command === "judge") {
      await judgeCommand(prisma, {
        dataset: values.dataset!,
        judges: values.judge!,
        filter: values.filter,
        force: values.force,
        wait: !values["no-wait"],
        databaseUrl: database.url,
        embedded: database.embedded,
      });
      return;
    }
    const started = Date.now();
    const result = await importFile(prisma, {
      path: file!,
      dataset: values.dataset!,
      format: values.format as TFormat | undefined,
      mapping: parseMapping(values.map),
      strict: values.strict,
      onProgress: (s) => process.stderr.write(`\r${s.read} rows read, ${s.inserted} inserted, ${s.skipped} skipped, ${s.rejected.length} rejected`),
    });
    process.stderr.write("\n");
    console.log(
      `imported into "${values.dataset}" (id ${result.datasetId}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${result.read} rows read, ${result.questionsInserted} new questions, ${result.responsesInserted} new responses, ` +
        `${result.skipped} already present, ${result.rejected.length} rejected`,
    );
    for (const r of result.rejected.slice(0, 20)) console.log(`  line ${r.line}: ${r.field}: ${r.reason}`);
    if (result.rejected.length > 20) console.log(`  … and ${result.rejected.length - 20} more`);
  } finally {
    await prisma.$disconnect();
    await database.stop();
  }
}

main().catch((error) => {
  process.stderr.write("\n");
  if (isAppError(error)) {
    console.error(`error: ${error.message}`);
    if (Array.isArray(error.details)) for (const r of error.details.slice(0, 20)) console.error(`  line ${r.line}: ${r.field}: ${r.reason}`);
  } else console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
