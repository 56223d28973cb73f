// Environment, validated once. The launcher (scripts/start.ts) fills in what it derives itself
// (DATABASE_URL of the embedded database, a generated AUTH_SECRET) before Next starts; so inside
// the app every value below is present or has its default. Read it through `env()` only.
import { z } from "zod";

const flag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const ZEnv = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** connections per process; the embedded database serialises them anyway */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** "1" when DATABASE_URL points at the launcher's embedded database */
  STUDIO_EMBEDDED: flag,
  /** demo mode: demo users (passwords shown on the sign-in page) and demo data */
  STUDIO_DEMO: flag,
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  /** the public URL of the studio (cookies, auth callbacks) */
  STUDIO_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").optional(),
  /** analytics snapshots are refreshed this often once the data is quiet (lib/stats/refresher.ts); 0 = never */
  STUDIO_ANALYTICS_REFRESH_SECONDS: z.coerce.number().int().min(0).default(30),
  /** an upload's file no import needs is removed after this many hours without activity (one whose import completed, at once) */
  STUDIO_UPLOAD_RETENTION_HOURS: z.coerce.number().min(1).default(72),
  /** connections one analytics computation over many responses splits across (lib/stats/snapshot.ts sideBySide); default 2, 1 on the embedded database */
  STUDIO_ANALYTICS_PARALLEL: z.coerce.number().int().min(1).max(16).optional(),
  /** an analytics page waits this long for its figures; past it, it shows the figures last computed while new ones are (lib/stats/budget.ts) */
  STUDIO_ANALYTICS_BUDGET_MS: z.coerce.number().int().min(0).default(1000),
  /** the hosts judges may call, comma-separated (lib/judges/hosts.ts, which reads it); unset: any */
  STUDIO_JUDGE_HOSTS: z.string().optional(),
  /** sign-in attempts allowed per IP per minute */
  AUTH_SIGNIN_LIMIT: z.coerce.number().int().min(1).default(10),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** the launcher runs a run worker beside the app (default: on with the embedded database or in demo mode) */
  STUDIO_WORKER: z.enum(["1", "0", "true", "false"]).optional(),
  /** run workers: chunk jobs worked at once per worker */
  WORKER_CHUNKS: z.coerce.number().int().min(1).max(64).default(4),
  /** run workers: a worker silent this long is dead and its chunks go to others */
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(200).max(60_000).default(2_000),
  /** run workers: a chunk is handed back to the queue after this long */
  WORKER_CHUNK_BUDGET_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
});

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

export function env(): TEnv {
  if (!cached) {
    const parsed = ZEnv.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`invalid environment:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function studioUrl(): string {
  const e = env();
  return e.STUDIO_URL ?? `http://localhost:${e.PORT}`;
}
