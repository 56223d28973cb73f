// Shared by the benchmarks: a throwaway database on the Postgres server of DATABASE_URL
// (created, migrated, dropped after), peak RSS sampling, and printing.
import pg from "pg";
import { migrate } from "../../lib/db/migrate";

export async function throwawayDatabase(prefix: string) {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error("set DATABASE_URL to a Postgres server (a throwaway database is created on it and dropped after)");
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Peak resident set size while `fn` runs (sampled every 50 ms), in MB. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    const result = await fn();
    return { result, seconds: (performance.now() - started) / 1000, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

export const rate = (rows: number, seconds: number) => Math.round(rows / seconds);
export const fmt = (n: number) => n.toLocaleString("en-US");

/** A fixed pseudo-random sequence (mulberry32), so every run generates the same data. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const escapeCopy = (s: string) => s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");

/** Runs scripts/bench/step.ts in a child process and returns what it printed. */
export async function step<T = Record<string, number>>(name: string, args: Record<string, unknown>): Promise<T & { seconds: number; rows: number; peakRssMb: number; baseRssMb: number }> {
  const { spawn } = await import("node:child_process");
  // V8 grows its heap lazily when memory is plentiful, so an unbounded process's RSS says more
  // about the garbage collector than about what the import holds: each step runs with a 256 MB
  // old space, as in a container with a memory limit (BENCH_HEAP_MB to change it).
  const heap = process.env.BENCH_HEAP_MB ?? "256";
  const child = spawn("npx", ["tsx", "scripts/bench/step.ts", name, JSON.stringify(args)], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${heap}`.trim() },
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`step ${name} failed (exit ${code})`);
  return JSON.parse(out.trim().split("\n").at(-1)!);
}
