// A worker process outlives a queue update lost with its database connection (pg-boss 10 leaves
// such a rejection unhandled), and still ends on any other unhandled rejection: a real process
// (tests/unhandled-rejection-child.ts), since the behaviour is the process's.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const run = (bug: boolean) =>
  spawnSync(process.execPath, ["--import", "tsx", "tests/unhandled-rejection-child.ts"], { encoding: "utf8", env: { ...process.env, BUG: bug ? "1" : "0" }, timeout: 30_000 });

describe("surviveLostQueueUpdates", () => {
  it("logs a rejection that says the connection was lost, and the process goes on", () => {
    const child = run(false);
    expect(child.stdout).toContain("a queue update was lost with its database connection (terminating connection due to administrator command)");
    expect(child.stdout).toContain("still working");
    expect(child.status).toBe(0);
  });

  it("still ends the process on any other unhandled rejection", () => {
    const child = run(true);
    expect(child.stdout).toContain("still working");
    expect(child.stderr).toContain("a bug, not a lost connection");
    expect(child.status).not.toBe(0);
  });
});
