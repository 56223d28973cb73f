// `npm test`: everything, in the order CI runs it, stopping at the first failure:
// lint, typecheck, unit, integration (a real Postgres, or the embedded one when none answers),
// build, end-to-end (the built studio in Chromium).
import { spawnSync } from "node:child_process";

const steps: [name: string, command: string, args: string[]][] = [
  ["lint", "npx", ["eslint", "--max-warnings", "0", "."]],
  ["typecheck", "npx", ["tsc", "--noEmit"]],
  ["unit", "npx", ["vitest", "run", "--project", "unit"]],
  ["integration", "npx", ["vitest", "run", "--project", "integration"]],
  ["build", "npx", ["next", "build"]],
  ["e2e", "npx", ["playwright", "test"]],
];

const only = process.argv.slice(2);
const results: string[] = [];
for (const [name, command, args] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const run = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (run.status !== 0) {
    results.push(`${name} FAILED (${seconds} s)`);
    console.error(`\n${results.join("\n")}`);
    process.exit(run.status ?? 1);
  }
  results.push(`${name} ok (${seconds} s)`);
}
console.log(`\n${results.join("\n")}`);
