// `npm run studio -- judge --dataset <name|id> --judge <name|id> [--judge ...] [--filter "label=incorrect"] [--force] [--samples k] [--no-wait]`
// Starts one run per judge and, unless --no-wait, shows progress until they end. When no worker
// is running anywhere, this process works the runs itself (Ctrl-C hands the work back; a later
// `npm run worker` or `npm start` picks it up).
import type { PrismaClient } from "../lib/db/client";
import { createRuns } from "../lib/runs/create-run";
import { runProgress, type TRunProgress } from "../lib/runs/progress";
import { findDataset, findJudge } from "../lib/runs/resolve";
import { RunWorker, surviveLostQueueUpdates } from "../lib/runs/worker";

export type TJudgeArgs = { dataset: string; judges: string[]; filter?: string; force: boolean; samples: number; wait: boolean; databaseUrl: string; embedded: boolean };

const fmt = (p: TRunProgress) => {
  const rate = p.throughput ? `${p.throughput.toFixed(1)}/s` : "-";
  const eta = p.etaSeconds !== null ? `, ETA ${Math.ceil(p.etaSeconds)} s` : "";
  const c = p.calls;
  const retrying = (c && c.waiting > 0 ? `, ${c.waiting} waiting to retry (${c.last?.kind})` : "") + (c && c.slow > 0 ? `, ${c.slow} out for over 10 s` : "");
  return `run ${p.id} ${p.judge.name}: ${p.status} ${p.done + p.failed}/${p.total} (${p.failed} failed, ${p.unparseable} unparseable) ${rate}${eta}${retrying}`;
};

export async function judgeCommand(prisma: PrismaClient, args: TJudgeArgs) {
  const dataset = await findDataset(prisma, args.dataset);
  const judges = [];
  for (const ref of args.judges) judges.push(await findJudge(prisma, ref));
  const runs = await createRuns(prisma, { datasetId: dataset.id, judgeIds: judges.map((j) => j.id), filter: args.filter ?? "", force: args.force, samples: args.samples, source: "cli" }, null);
  for (const r of runs) console.log(`started run ${r.id}: ${r.judgeName} on "${dataset.name}": ${r.total} ${args.samples > 1 ? `judgments (${args.samples} per item)` : "items"} to judge, ${r.skipped} already judged${r.status === "completed" ? " (nothing to do)" : ""}`);
  if (!args.wait) return;

  const [live] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM judge_workers WHERE heartbeat_at > now() - interval '20 seconds'`;
  let worker: RunWorker | null = null;
  if (!live?.n) {
    console.log("no worker is running: working the runs in this process (Ctrl-C hands the work back)");
    const log = (line: string) => process.stderr.write(`[worker] ${line}\n`);
    surviveLostQueueUpdates(log);
    worker = new RunWorker({ prisma, databaseUrl: args.databaseUrl, poolMax: args.embedded ? 2 : 4, log });
    await worker.start();
  }
  let interrupted = false;
  process.once("SIGINT", () => {
    interrupted = true;
  });
  const ended = new Set(["completed", "failed", "cancelled"]);
  let last: TRunProgress[] = [];
  while (!interrupted) {
    last = (await Promise.all(runs.map((r) => runProgress(prisma, r.id)))).filter((p): p is TRunProgress => p !== null);
    process.stderr.write(`\r${last.map(fmt).join(" | ")}\x1b[K`);
    if (last.every((p) => ended.has(p.status) || p.status === "paused")) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.stderr.write("\n");
  await worker?.stop();
  for (const p of last) {
    console.log(`${fmt(p)}; tokens ${p.promptTokens} prompt + ${p.completionTokens} completion${p.error ? `; ${p.error}` : ""}`);
    for (const e of p.errors) console.log(`  ${e.kind}: ${e.count} (e.g. response ${e.examples[0]?.responseId}: ${e.examples[0]?.error ?? ""})`);
    if (p.softless && p.softless.noLogprobs > 0) {
      console.log(`  warning: ${p.softless.noLogprobs} of the latest ${p.softless.latest} verdicts came without log-probabilities, so without a soft reward (vLLM: --max-logprobs at least the judge's top_logprobs)`);
    }
    if (p.softless && p.softless.offPosition > 0) {
      console.log(`  warning: ${p.softless.offPosition} of the latest ${p.softless.latest} verdicts have log-probabilities but no soft reward: the verdict was not the first token (set the judge's logprobToken to first_verdict)`);
    }
  }
  if (interrupted) console.log("interrupted: the runs continue when a worker runs (npm run worker, or npm start)");
  if (last.some((p) => p.status === "failed")) process.exitCode = 1;
}
