// `npm run build && npm run bench:reward`: the reward endpoint under an RL trainer's load.
// Batches of 512 responses (128 prompts x 4) judged by the judge simulator (a test double in
// vLLM's format, in its own process) at 50 ms a request, with the judge's concurrency at 64:
//  - latency of a batch through the studio (POST /api/v1/reward on the built studio, which
//    judges, records every item and answers) against calling the simulator directly from this
//    process for the same batch (the same HTTP client and prompts, the same concurrency), in the
//    same run, interleaved; p50 and p95 of each, and the time added at p50 (goal: <= 10%);
//  - sustained responses/s over back-to-back batches, against the bound 64 / 50 ms = 1,280/s;
//  - every item recorded (responses and judgments counted in the database afterwards).
// Runs on a throwaway database on the Postgres in TEST_DATABASE_URL (else 127.0.0.1:5432).
// Options: --batches 30 (measured per side), --sustained 20, --port 3290.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { judgeOnEndpoint } from "../../lib/judges/endpoint";
import { ZEndpointSettings } from "../../lib/judges/settings";
import { BUILTIN_TEMPLATES } from "../../lib/judges/templates";
import { Semaphore } from "../../lib/reward/admission";
import { parseRewardBody } from "../../lib/reward/protocol";
import { createThrowawayDatabase } from "../../tests/throwaway-db";

const { values } = parseArgs({
  options: { batches: { type: "string", default: "30" }, sustained: { type: "string", default: "20" }, port: { type: "string", default: "3290" } },
});
const BATCH = 512;
const LATENCY_MS = 50;
const CONCURRENCY = 64;
const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");

function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  // Its own process group, so the studio's own children (Next) stop with it.
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", "pipe", "pipe"], env, detached: true });
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = ready.exec(seen);
      if (m) resolve({ child, match: m });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d: Buffer) => (seen += d.toString()));
    child.once("exit", (code) => reject(new Error(`${args[0]} exited (${code}):\n${seen.slice(-2000)}`)));
  });
}

/** A batch as a trainer sends it: ChatML prompts, 4 rollouts each, half of them right. */
function makeBatch(seed: number) {
  const query: string[] = [];
  const prompts: string[] = [];
  const labels: string[] = [];
  const filler = "Let me work through this carefully, checking each step against what the question asks. ".repeat(12);
  for (let p = 0; p < BATCH / 4; p++) {
    const id = `${seed}-${p}`;
    const prompt = `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nQuestion ${id}: which river flows through the city numbered ${id}? Answer with its name.<|im_end|>\n<|im_start|>assistant\n`;
    for (let k = 0; k < 4; k++) {
      prompts.push(prompt);
      query.push(`${prompt}${filler}\nThe answer is ${k % 2 === 0 ? `river ${id}` : "unknown"}.<|im_end|>`);
      labels.push(`river ${id}`);
    }
  }
  return { query, prompts, labels };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};

async function main() {
  if (!existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npm run build` first");
  const port = Number(values.port);
  if (await fetch(`http://127.0.0.1:${port}/login`).then(() => true, () => false)) throw new Error(`port ${port} is taken: pass --port`);
  const database = await createThrowawayDatabase("studio_bench_reward");
  if (!database) throw new Error("no Postgres server answered (TEST_DATABASE_URL or 127.0.0.1:5432)");
  const children: ChildProcess[] = [];
  const client = new pg.Client({ connectionString: database.url });
  client.on("error", () => {}); // the database is dropped at the end, with this client on it
  try {
    const sim = await startProcess(["scripts/judge-simulator.ts", "--port", "8391", "--latency-ms", String(LATENCY_MS), "--error-rate", "0"], process.env, /at (http:\/\/\S+)/);
    children.push(sim.child);
    const simUrl = sim.match[1]!;
    const studio = await startProcess(
      ["scripts/start.ts"],
      {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(port),
        ADMIN_EMAIL: "bench@example.org",
        ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        STUDIO_DEMO: "",
        NODE_ENV: "production",
      },
      /studio at http/,
    );
    children.push(studio.child);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (i === 100) throw new Error(`the studio did not answer on ${base}`);
      const ok = await fetch(`${base}/login`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 300));
    }

    // The judge and a token, as an admin would make them.
    const settings = ZEndpointSettings.parse({ baseUrl: simUrl, model: "sim-judge", concurrency: CONCURRENCY, retries: 2, timeoutMs: 10_000 });
    const token = `rlvr_${randomBytes(32).toString("base64url")}`;
    await client.connect();
    await client.query(`INSERT INTO judges (name, kind, size_label, template_version, settings, updated_at) VALUES ('sim 7B', 'openai_compatible', '7B', 'paper-v1', $1, now())`, [
      JSON.stringify(settings),
    ]);
    const [admin] = (await client.query<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' LIMIT 1`)).rows;
    await client.query(`INSERT INTO api_tokens (name, token_hash, prefix, scopes, created_by_id) VALUES ('bench', $1, $2, '{reward}', $3)`, [
      createHash("sha256").update(token).digest("hex"),
      token.slice(0, 11),
      admin!.id,
    ]);

    const template = BUILTIN_TEMPLATES[0]!;
    const permits = new Semaphore(CONCURRENCY);
    const direct = async (batch: ReturnType<typeof makeBatch>) => {
      // What a trainer calling the judge itself would do: fill the template, call, read P(YES).
      const started = performance.now();
      const items = parseRewardBody(batch).items;
      const results = await Promise.all(items.map((item, i) => judgeOnEndpoint({ settings, template, apiKey: null }, { ...item, responseId: i }, { permits })));
      const failed = results.find((r) => r.verdict === null);
      if (failed) throw new Error(`direct: a call failed: ${failed.errorKind}: ${failed.error}`);
      return performance.now() - started;
    };
    const breakdown: Record<"read" | "judge" | "record" | "total" | "client", number>[] = [];
    const viaStudio = async (batch: ReturnType<typeof makeBatch>, step: number) => {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/reward`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ ...batch, judge: "sim 7B", run: "bench-run", step }),
      });
      const answer = (await res.json()) as { rewards?: number[]; error?: unknown };
      const ms = performance.now() - started;
      if (res.status !== 200 || answer.rewards?.length !== BATCH) throw new Error(`studio: HTTP ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
      const timing = Object.fromEntries([...(res.headers.get("server-timing") ?? "").matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]));
      breakdown.push({ read: timing.read ?? NaN, judge: timing.judge ?? NaN, record: timing.record ?? NaN, total: timing.total ?? NaN, client: ms });
      return ms;
    };

    console.log(`reward endpoint benchmark: batches of ${BATCH}, simulator at ${LATENCY_MS} ms, judge concurrency ${CONCURRENCY}`);
    console.log(`load average at start: ${load()}`);
    let step = 0;
    for (let i = 0; i < 3; i++) {
      await direct(makeBatch(-1 - i));
      await viaStudio(makeBatch(-10 - i), ++step);
    }
    const n = Number(values.batches);
    const directMs: number[] = [];
    const studioMs: number[] = [];
    for (let i = 0; i < n; i++) {
      // Interleaved, on different questions each time, so both sides meet the same machine.
      directMs.push(await direct(makeBatch(1000 + i)));
      studioMs.push(await viaStudio(makeBatch(2000 + i), ++step));
    }
    const d50 = percentile(directMs, 0.5);
    const s50 = percentile(studioMs, 0.5);
    console.log(`\nlatency of a batch of ${BATCH} (${n} batches each)`);
    console.log(`  direct to the simulator: p50 ${d50.toFixed(0)} ms, p95 ${percentile(directMs, 0.95).toFixed(0)} ms`);
    console.log(`  through the studio:      p50 ${s50.toFixed(0)} ms, p95 ${percentile(studioMs, 0.95).toFixed(0)} ms`);
    const measured = breakdown.slice(-n);
    const med = (k: keyof (typeof measured)[number]) => percentile(measured.map((b) => b[k]), 0.5).toFixed(0);
    console.log(`  studio's own account (Server-Timing, medians): reading the body ${med("read")} ms, judging ${med("judge")} ms, recording ${med("record")} ms, in the handler ${med("total")} ms; at the client ${med("client")} ms`);
    console.log(`  added at p50: ${(((s50 - d50) / d50) * 100).toFixed(1)}% (goal <= 10%); ratio studio / direct at p50 ${(s50 / d50).toFixed(3)}`);

    const m = Number(values.sustained);
    const t0 = performance.now();
    for (let i = 0; i < m; i++) await viaStudio(makeBatch(3000 + i), ++step);
    const sustained = (m * BATCH) / ((performance.now() - t0) / 1000);
    const t1 = performance.now();
    for (let i = 0; i < m; i++) await direct(makeBatch(4000 + i));
    const directRate = (m * BATCH) / ((performance.now() - t1) / 1000);
    const bound = CONCURRENCY / (LATENCY_MS / 1000);
    console.log(`\nsustained over ${m} back-to-back batches`);
    console.log(`  through the studio: ${sustained.toFixed(0)} responses/s; direct: ${directRate.toFixed(0)} responses/s; ratio ${(sustained / directRate).toFixed(3)}`);
    console.log(`  bound (concurrency / latency): ${bound.toFixed(0)}/s; studio / bound ${(sustained / bound).toFixed(3)}`);

    const sent = (3 + n + m) * BATCH;
    const [rec] = (
      await client.query<{ responses: number; judgments: number; requests: number }>(
        `SELECT (SELECT count(*)::int FROM responses) AS responses, (SELECT count(*)::int FROM judgments) AS judgments, (SELECT count(*)::int FROM reward_requests) AS requests`,
      )
    ).rows;
    console.log(`\nrecorded: ${rec!.requests} requests, ${rec!.responses} responses, ${rec!.judgments} judgments (sent ${sent} responses)`);
    if (rec!.responses !== sent || rec!.judgments !== sent) throw new Error("not every response was recorded");
    console.log(`load average at end: ${load()}`);
  } finally {
    await client.end().catch(() => {});
    for (const c of children) if (c.pid) process.kill(-c.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
