// Analytics pages within a time budget (./budget.ts): past it, the figures stored before, marked
// as updating, while the computation goes on; and the figures of a new judge computed when its
// run starts and of a dataset a command-line import made (./refresher.ts warmAfterRunStarts,
// warmAfterCliImports), so that there is something stored to show.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { testDb } from "@/tests/db";
import { setUpFixture, type TFixture } from "@/tests/analytics-fixture";
import { agreementMatrix, pairBreakdown, ratersOf } from "./agreement-queries";
import { computationUnderWay, isStoredOnly, withinBudget } from "./budget";
import { hasProfile } from "./profile-queries";
import { datasetCounts } from "./overview-queries";
import { importFile } from "@/lib/io/import-file";

const prisma = testDb();
let fx: TFixture;

beforeAll(async () => {
  ({ fx } = await setUpFixture(prisma));
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A gate the test opens: a computation that waits on it takes as long as the test wants. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const closed = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { closed, open, fail };
}

/** `read`, held at the gate when it computes (not when it only reads what is stored). */
const slow = <T>(g: { closed: Promise<void> }, read: () => Promise<T>) => async () => {
  if (!isStoredOnly()) await g.closed;
  return read();
};

/** Flips the first judge's verdict on the dataset's first judged response (a change the agreement matrix shows). */
async function flipOneVerdict() {
  const j = await prisma.judgment.findFirstOrThrow({
    where: { judgeId: fx.judges[0]!.id, templateVersion: fx.judges[0]!.templateVersion, sample: 0, verdict: { in: ["YES", "NO"] }, response: { datasetId: fx.datasetId } },
    orderBy: { responseId: "asc" },
  });
  await prisma.judgment.update({ where: { id: j.id }, data: { verdict: j.verdict === "YES" ? "NO" : "YES" } });
}

describe("analytics pages within a time budget", () => {
  it("serves the figures stored before, marked as updating, while a longer computation goes on; the next request gets the new ones", async () => {
    const raters = ratersOf(fx.judges);
    const key = "test:matrix";
    const before = await withinBudget(key, () => agreementMatrix(fx.datasetId, raters), 60_000);
    expect(before.updating).toBe(false);

    await flipOneVerdict();
    const g = gate();
    const served = await withinBudget(key, slow(g, () => agreementMatrix(fx.datasetId, raters)), 30);
    expect(served.updating).toBe(true);
    expect(served.value.value).toEqual(before.value.value); // the stored figures, as they were
    expect(served.value.computedAt).toEqual(before.value.computedAt);

    g.open();
    await computationUnderWay(key);
    expect(computationUnderWay(key)).toBeUndefined();
    const after = await withinBudget(key, () => agreementMatrix(fx.datasetId, raters), 60_000);
    expect(after.updating).toBe(false);
    expect(after.value.isCached).toBe(true); // computed by the request that was past its budget, and stored
    const fresh = await agreementMatrix(fx.datasetId, raters, { fresh: true });
    expect(after.value.value).toEqual(fresh.value);
    expect(after.value.value).not.toEqual(before.value.value);
  });

  it("does not mark as updating stored figures that are current (a slow computation, not new data)", async () => {
    const raters = ratersOf(fx.judges);
    const key = "test:current";
    const stored = await withinBudget(key, () => agreementMatrix(fx.datasetId, raters), 60_000);
    const g = gate();
    const served = await withinBudget(key, slow(g, () => agreementMatrix(fx.datasetId, raters)), 20);
    expect(served.updating).toBe(false);
    expect(served.value.value).toEqual(stored.value.value);
    g.open();
    await computationUnderWay(key);
  });

  it("waits for figures that were never stored: there is nothing else to show", async () => {
    const raters = ratersOf(fx.judges);
    const g = gate();
    setTimeout(g.open, 150);
    const started = performance.now();
    // The pair (7B, experts) in this order was never broken down.
    const result = await withinBudget("test:new-pair", slow(g, () => pairBreakdown(fx.datasetId, raters[1]!, raters[2]!)), 20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(result.updating).toBe(false);
    expect(result.value.isCached).toBe(false);
    expect(result.value.value.length).toBeGreaterThan(0);
  });

  it("a second request while a computation runs awaits it instead of starting another", async () => {
    const raters = ratersOf(fx.judges);
    await withinBudget("test:shared", () => agreementMatrix(fx.datasetId, raters), 60_000);
    await flipOneVerdict();
    const g = gate();
    let computations = 0;
    const compute = async () => {
      if (!isStoredOnly()) computations++;
      return slow(g, () => agreementMatrix(fx.datasetId, raters))();
    };
    const [first, second] = [await withinBudget("test:shared", compute, 20), await withinBudget("test:shared", compute, 20)];
    expect([first.updating, second.updating]).toEqual([true, true]);
    expect(computations).toBe(1);
    g.open();
    await computationUnderWay("test:shared");
    expect((await withinBudget("test:shared", compute, 60_000)).updating).toBe(false);
    expect(computations).toBe(2); // the first finished: a new request starts its own (a lookup now)
  });

  it("logs a computation that fails after its page was sent with the stored figures, and makes the next request wait for its own", async () => {
    const raters = ratersOf(fx.judges);
    await withinBudget("test:failing", () => agreementMatrix(fx.datasetId, raters), 60_000);
    await flipOneVerdict();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const g = gate();
    const served = await withinBudget("test:failing", slow(g, () => agreementMatrix(fx.datasetId, raters)), 20);
    expect(served.updating).toBe(true);
    g.fail(new Error("connection lost"));
    await computationUnderWay("test:failing");
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("computing test:failing failed: connection lost"));
    expect(computationUnderWay("test:failing")).toBeUndefined();

    // The page reloads: this time it waits for the computation, whatever the budget, and a second
    // failure reaches it (the page shows the error instead of "updating" for good).
    const failsLate = async () => {
      if (isStoredOnly()) return agreementMatrix(fx.datasetId, raters);
      await new Promise((resolve) => setTimeout(resolve, 100)); // past the budget
      throw new Error("connection lost again");
    };
    await expect(withinBudget("test:failing", failsLate, 20)).rejects.toThrow("connection lost again");
    // One that succeeds clears it: budgets apply again.
    const h = gate();
    expect((await withinBudget("test:failing", slow(h, () => agreementMatrix(fx.datasetId, raters)), 20)).updating).toBe(true);
    h.open();
    await computationUnderWay("test:failing");
  });

  it("a failure within the budget reaches the page", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await expect(withinBudget("test:error", () => Promise.reject(new Error("bad query")), 1_000)).rejects.toThrow("bad query");
  });
});

describe("figures computed ahead of the first visit", () => {
  it("gets the figures comparing its judge with the others computed, when they were never stored", async () => {
    const { warmAfterRunStarts } = await import("./refresher");
    await warmAfterRunStarts(); // the first look notes where runs stand
    const judge = await prisma.judge.create({ data: { name: "Judge new", kind: "external" } });
    const runs: number[] = [];
    try {
      const judges = [...fx.judges, { id: judge.id, templateVersion: judge.templateVersion }];
      expect(await hasProfile(fx.datasetId, judges)).toBe(false);
      runs.push((await prisma.judgeRun.create({ data: { judgeId: judge.id, datasetId: fx.datasetId, source: "cli", status: "running" } })).id);
      expect(await warmAfterRunStarts()).toEqual([fx.datasetId]);
      expect(await hasProfile(fx.datasetId, judges)).toBe(true);
      expect(await warmAfterRunStarts()).toEqual([]); // seen already

      // Another run of a judge the figures already compare: nothing to compute ahead.
      await new Promise((resolve) => setTimeout(resolve, 5));
      runs.push((await prisma.judgeRun.create({ data: { judgeId: judge.id, datasetId: fx.datasetId, source: "cli", status: "running" } })).id);
      expect(await warmAfterRunStarts()).toEqual([]);
    } finally {
      await prisma.judgeRun.deleteMany({ where: { id: { in: runs } } });
      await prisma.judge.delete({ where: { id: judge.id } });
    }
  });

  it("a command-line import that completed gets its dataset's figures computed", async () => {
    const { warmAfterCliImports } = await import("./refresher");
    await warmAfterCliImports(); // the first look
    const dir = mkdtempSync(path.join(tmpdir(), "budget-"));
    try {
      const file = path.join(dir, "items.jsonl");
      writeFileSync(file, ["a", "b", "c"].map((q) => JSON.stringify({ question: q, reference: "r", response: `${q}!` })).join("\n"));
      const { datasetId } = await importFile(prisma, { path: file, dataset: "cli-imported", source: "cli" });
      expect(await warmAfterCliImports()).toEqual([datasetId]);
      expect((await datasetCounts(datasetId!)).isCached).toBe(true);
      expect(await warmAfterCliImports()).toEqual([]);
      // One from the server's wizard computes its figures itself: not again here.
      await importFile(prisma, { path: file, dataset: "ui-imported", source: "ui" });
      expect(await warmAfterCliImports()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
