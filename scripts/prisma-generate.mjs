// Generates the Prisma client into lib/db/generated (run by `npm install` and `npm run db:generate`).
// Prisma 7's CLI downloads a native schema engine on first use even though `prisma generate`
// never calls it; where that download is blocked (offline machines, locked-down CI) we point the
// CLI at /bin/false instead. A real engine, if one is installed, is left alone.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = "/bin/false";
}
const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
