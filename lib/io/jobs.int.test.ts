// The start-up sweep: jobs whose process is gone become `interrupted` with a message saying what
// happened; jobs of live processes are left alone.
import { hostname } from "node:os";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { STALE_MS, sweepInterruptedJobs } from "./jobs";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
});

const job = (runner: string, heartbeatAt: Date | null, status: "running" | "queued" | "completed" = "running") =>
  prisma.importJob.create({ data: { datasetName: "d", fileName: "f.jsonl", filePath: "/nowhere", format: "jsonl", kind: "items", source: "ui", status, runner, heartbeatAt } });

describe("sweepInterruptedJobs", () => {
  it("marks jobs of dead processes and silent jobs as interrupted, and leaves live and finished ones", async () => {
    const now = new Date();
    const deadHere = await job(`${hostname()}:999999999`, now); // no such pid on this host
    const aliveHere = await job(`${hostname()}:${process.pid}`, now);
    const silentElsewhere = await job("other-host:1", new Date(Date.now() - STALE_MS - 5000));
    const liveElsewhere = await job("other-host:2", now);
    const done = await job("other-host:3", new Date(0), "completed");
    const exp = await prisma.export.create({ data: { kind: "flat", source: "ui", status: "running", runner: "other-host:4", heartbeatAt: new Date(0) } });

    expect(await sweepInterruptedJobs(prisma)).toBe(3);
    const status = async (id: number) => (await prisma.importJob.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(deadHere.id)).toBe("interrupted");
    expect(await status(silentElsewhere.id)).toBe("interrupted");
    expect(await status(aliveHere.id)).toBe("running");
    expect(await status(liveElsewhere.id)).toBe("running");
    expect(await status(done.id)).toBe("completed");
    const swept = await prisma.importJob.findUniqueOrThrow({ where: { id: deadHere.id } });
    expect(swept.message).toMatch(/^Interrupted: the process running this import stopped .* Nothing of it was written; run it again\.$/);
    expect((await prisma.export.findUniqueOrThrow({ where: { id: exp.id } })).status).toBe("interrupted");
  });

  it("an import stopped after its rows were committed (its dataset recorded) is completed, not 'nothing written'", async () => {
    const dataset = await prisma.dataset.create({ data: { name: "d" } });
    const committed = await job("other-host:5", new Date(0));
    await prisma.importJob.update({ where: { id: committed.id }, data: { datasetId: dataset.id, inserted: 20 } });
    expect(await sweepInterruptedJobs(prisma)).toBe(1);
    const swept = await prisma.importJob.findUniqueOrThrow({ where: { id: committed.id } });
    expect(swept.status).toBe("completed");
    expect(swept.message).toMatch(/^Completed; the process stopped afterwards, .* the rows are in/);
  });
});
