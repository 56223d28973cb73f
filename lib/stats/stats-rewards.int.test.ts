// Rewards, experts and self-consistency SQL against the pure functions of lib/stats on the same
// rows (tests/analytics-fixture.ts), and the snapshot store's versioning.
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/tests/db";
import { setUpFixture, type TFixture, type TItem } from "@/tests/analytics-fixture";
import { agreement } from "./agreement";
import { binOf } from "./calibration";
import { agreementMatrix, pairBreakdown, ratersOf } from "./agreement-queries";
import { selfConsistency } from "./consistency";
import { judgeConsistency } from "./consistency-queries";
import { expertAgreement } from "./expert-queries";
import { krippendorffAlphaNominal } from "./krippendorff";
import { datasetCounts } from "./overview-queries";
import { rewardNormalisation, rewardOverview, SOFT_BINS, Z_RANGE } from "./reward-queries";
import { groupStats, histogram, histogramBin, zScores, type TDdof } from "./rewards";

const prisma = testDb();
let fx: TFixture;
let items: TItem[];
let isEmbedded = false;

beforeAll(async () => {
  ({ fx, items, isEmbedded } = await setUpFixture(prisma));
});

const first = (item: TItem, judgeId: number) => item.judgments.get(judgeId)?.find((j) => j.sample === 0);

describe("rewards SQL", () => {
  it("counts verdicts and bins soft rewards per judge", async () => {
    const { value } = await rewardOverview(fx.datasetId, fx.judges, { fresh: true });
    expect(value.responses).toBe(items.length);
    for (const judge of fx.judges) {
      const got = value.judges.find((j) => j.judgeId === judge.id)!;
      const firsts = items.map((i) => ({ item: i, j: first(i, judge.id) })).filter((x) => x.j);
      const count = (v: string | null) => firsts.filter((x) => x.j!.verdict === v).length;
      expect(got).toMatchObject({ yes: count("YES"), no: count("NO"), unparseable: count("UNPARSEABLE"), failed: count(null) });
      expect(got.rewardRate).toBeCloseTo(count("YES") / (count("YES") + count("NO")), 12);
      const softs = firsts.filter((x) => x.j!.soft !== null);
      expect(got.softHistogram.map((b) => b.correct + b.incorrect + b.other)).toEqual(histogram(softs.map((x) => x.j!.soft!), 0, 1, SOFT_BINS));
      expect(got.softHistogram.map((b) => b.correct)).toEqual(histogram(softs.filter((x) => x.item.gold === "correct").map((x) => x.j!.soft!), 0, 1, SOFT_BINS));
      expect(got.meanSoft).toBeCloseTo(softs.reduce((a, x) => a + x.j!.soft!, 0) / softs.length, 9);
    }
  });

  /** Eq. 5 by hand over the fixture's rows: z within groups of `groupOf`, binned. */
  function expectedZ(judgeId: number, reward: "binary" | "soft", ddof: TDdof, groupOf: (item: TItem) => number) {
    const groups = new Map<number, number[]>();
    for (const item of items) {
      const j = first(item, judgeId);
      const v = reward === "binary" ? (j?.verdict === "YES" ? 1 : j?.verdict === "NO" ? 0 : null) : (j?.soft ?? null);
      if (v === null) continue;
      groups.set(groupOf(item), [...(groups.get(groupOf(item)) ?? []), v]);
    }
    const counts = new Array<number>(Z_RANGE.bins).fill(0);
    for (const values of groups.values()) for (const z of zScores(values, ddof)) counts[histogramBin(z, Z_RANGE.low, Z_RANGE.high, Z_RANGE.bins)]!++;
    return { counts, groups };
  }

  it.each([
    ["binary", 1, null],
    ["binary", 0, 4],
    ["soft", 1, null],
    ["soft", 0, 3],
  ] as const)("normalises %s rewards (ddof %d, batches of %s questions) as zScores does", async (reward, ddof, batch) => {
    const judge = fx.judges[0]!;
    const questionIds = [...new Set(items.map((i) => i.questionId))].sort((a, b) => a - b);
    const batchOf = (item: TItem) => (batch === null ? 0 : Math.floor(questionIds.indexOf(item.questionId) / batch));
    const { value } = await rewardNormalisation(fx.datasetId, judge, { reward, ddof, batch }, { fresh: true });
    const byQuestion = expectedZ(judge.id, reward, ddof, (i) => i.questionId);
    const byBatch = expectedZ(judge.id, reward, ddof, batchOf);
    expect(value.groupHistogram).toEqual(byQuestion.counts);
    expect(value.batchHistogram).toEqual(byBatch.counts);
    expect(value.batches).toBe(byBatch.groups.size);
    const constant = (values: number[]) => values.every((v) => v === values[0]);
    expect(value.zeroVarianceBatches).toBe([...byBatch.groups.values()].filter((v) => constant(v) || (ddof === 1 && v.length === 1)).length);
    if (reward === "binary") {
      const profiles = [...byQuestion.groups.values()].map((v) => ({ k: v.length, passes: v.filter((x) => x === 1).length, groups: 1 }));
      expect(value.groups).toEqual(groupStats(profiles));
      expect(value.groups!.zeroVariance).toBeGreaterThan(0);
    }
  });
});

describe("experts vs experts SQL", () => {
  it.each(["missing", "category"] as const)("gives each annotator pair's kappa and Krippendorff's alpha (unsure as %s)", async (unsure) => {
    const { value } = await expertAgreement(fx.datasetId, unsure, { fresh: true });
    expect(value.annotators.map((a) => [a.annotator, a.labels])).toEqual(
      ["a1", "a2", "a3"].map((a) => [a, items.reduce((n, i) => n + i.labels.filter((l) => l.annotator === a).length, 0)]),
    );
    for (const [a, b] of [["a1", "a2"], ["a1", "a3"], ["a2", "a3"]] as const) {
      const cells = { yy: 0, yn: 0, ny: 0, nn: 0 };
      for (const item of items) {
        const x = item.labels.find((l) => l.annotator === a)?.value;
        const y = item.labels.find((l) => l.annotator === b)?.value;
        if (!x || !y || x === "unsure" || y === "unsure") continue;
        cells[x === "correct" ? (y === "correct" ? "yy" : "yn") : y === "correct" ? "ny" : "nn"]++;
      }
      const got = value.pairs.find((p) => p.a === a && p.b === b)!;
      expect(got).toMatchObject(cells);
      expect(got.kappa).toBeCloseTo(agreement(cells).kappa!, 12);
    }
    const values = unsure === "category" ? ["correct", "incorrect", "unsure"] : ["correct", "incorrect"];
    const want = krippendorffAlphaNominal(items.map((i) => ({ counts: values.map((v) => i.labels.filter((l) => l.value === v).length) })));
    expect(value.alpha.alpha).toBeCloseTo(want.alpha!, 12);
    expect(value.alpha.units).toBe(want.units);
  });
});

describe("self-consistency SQL", () => {
  it("profiles the samples of items judged more than once", async () => {
    const { value } = await judgeConsistency(fx.datasetId, fx.judges, { fresh: true });
    for (const judge of fx.judges) {
      const profiles = items
        .filter((i) => (i.judgments.get(judge.id) ?? []).some((j) => j.sample > 0))
        .map((i) => {
          const samples = i.judgments.get(judge.id)!;
          const soft = samples.find((s) => s.sample === 0)?.soft ?? null;
          return { yes: samples.filter((s) => s.verdict === "YES").length, no: samples.filter((s) => s.verdict === "NO").length, items: 1, soft };
        });
      const got = value.find((c) => c.judgeId === judge.id)!;
      expect(got).toMatchObject(selfConsistency(profiles));
      for (const row of got.byBin) {
        const inBin = profiles.filter((p) => (p.soft === null ? null : binOf(p.soft)) === row.bin);
        expect(row).toMatchObject(selfConsistency(inBin));
      }
      expect(got.byBin.reduce((a, b) => a + b.items, 0)).toBe(got.items);
    }
    // The fixture samples only the first judge several times.
    expect(value[0]!.items).toBeGreaterThan(10);
    expect(value[0]!.flipped).toBeGreaterThan(0);
    expect(value[1]!.items).toBe(0);
  });
});

describe("snapshots", () => {
  it("serve a stored result until the data changes, then recompute", async () => {
    const raters = ratersOf(fx.judges);
    const first = await agreementMatrix(fx.datasetId, raters);
    const again = await agreementMatrix(fx.datasetId, raters);
    expect(again.isCached).toBe(true);
    expect(again.version).toBe(first.version);
    expect(again.value).toEqual(first.value);

    // A judgment changes: the version moves and the result follows the data.
    const target = items.find((i) => first.value && i.judgments.get(fx.judges[1]!.id)?.[0]?.verdict === "NO")!;
    await prisma.judgment.updateMany({ where: { responseId: target.id, judgeId: fx.judges[1]!.id, sample: 0 }, data: { verdict: "YES" } });
    const after = await agreementMatrix(fx.datasetId, raters);
    expect(after.isCached).toBe(false);
    expect(after.version).not.toBe(first.version);
    const pair = (m: typeof first) => m.value.pairs.find((p) => p.a === 1 && p.b === 2)!;
    expect(pair(after).answeredA).toBe(pair(first).answeredA);
    expect(pair(after).yy + pair(after).yn).toBe(pair(first).yy + pair(first).yn + (target.gold === "correct" || target.gold === "incorrect" ? 1 : 0));
  });

  it("move with every committed write, including a label edit and a transaction that was open while a reader computed", async () => {
    const before = await datasetCounts(fx.datasetId);
    await prisma.expertLabel.updateMany({ where: { annotator: "a1", response: { datasetId: fx.otherDatasetId } }, data: { note: "seen" } });
    const afterEdit = await datasetCounts(fx.datasetId);
    expect(afterEdit.version).not.toBe(before.version);

    // A writer's transaction is open (its change row invisible) while a reader computes; once it
    // commits, the reader's next call sees a new version. The embedded database runs one
    // transaction at a time (lib/db/embedded.ts), so there no reader can run beside an open writer.
    if (isEmbedded) return;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const writer = prisma.$transaction(async (tx) => {
      await tx.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "en" } });
      written();
      await held;
    }, { timeout: 30_000 });
    await wrote;
    const during = await datasetCounts(fx.datasetId);
    release();
    await writer;
    const after = await datasetCounts(fx.datasetId);
    expect(after.version).not.toBe(during.version);
    expect(after.isCached).toBe(false);
  });
});

describe("warming", () => {
  it("knows when the data is still changing", async () => {
    const { isDataChanging } = await import("./snapshot");
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "de" } });
    expect(await isDataChanging(60_000)).toBe(true);
    expect(await isDataChanging(0)).toBe(false);
  });

  it("computes every view's default snapshots, unless the data is changing", async () => {
    const { warmAnalytics } = await import("./warm");
    const raters = ratersOf(fx.judges);
    const dataset = { id: fx.datasetId, name: "analytics" };
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "fr" } });
    await warmAnalytics({ dataset, judges: fx.judges, raters });
    expect((await agreementMatrix(fx.datasetId, raters)).isCached).toBe(false); // skipped: changed a moment ago
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "it" } });
    await warmAnalytics({ dataset, judges: fx.judges, raters }, { quietMs: 0 });
    expect((await agreementMatrix(fx.datasetId, raters)).isCached).toBe(true);
    expect((await expertAgreement(fx.datasetId, "missing")).isCached).toBe(true);
    for (const judge of fx.judges) expect((await rewardNormalisation(fx.datasetId, judge, { reward: "binary", ddof: 1, batch: null })).isCached).toBe(true);
    // every pair the matrix links to (two judges and the experts: three)
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) expect((await pairBreakdown(fx.datasetId, raters[a]!, raters[b]!)).isCached).toBe(true);
  });

  it("a warm-up asked for while another runs follows it, with the latest scope asked for, instead of being dropped", async () => {
    const { warmAnalytics } = await import("./warm");
    const { hasProfile } = await import("./profile-queries");
    const dataset = { id: fx.datasetId, name: "analytics" };
    const one = fx.judges.slice(0, 1);
    await prisma.analyticsSnapshot.deleteMany({ where: { datasetId: fx.datasetId } });
    // The first warm-up knows one judge; a run of the second judge starts while it runs.
    const first = warmAnalytics({ dataset, judges: one, raters: ratersOf(one) }, { quietMs: 0 });
    const second = warmAnalytics({ dataset, judges: one, raters: ratersOf(one) }, { quietMs: 0 });
    const third = warmAnalytics({ dataset, judges: fx.judges, raters: ratersOf(fx.judges) }, { quietMs: 0 });
    expect(third).toBe(second); // requests made meanwhile make one warm-up
    expect(await Promise.all([first, second, third])).toEqual(["warmed", "warmed", "warmed"]);
    expect(await hasProfile(fx.datasetId, one)).toBe(true);
    expect(await hasProfile(fx.datasetId, fx.judges)).toBe(true); // the latest scope's figures

    // A hook's "now" (quietMs 0) is kept when a page view's default wait joins the same follow-up.
    await prisma.analyticsSnapshot.deleteMany({ where: { datasetId: fx.datasetId } });
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "pt" } }); // the data just changed
    const running = warmAnalytics({ dataset, judges: one, raters: ratersOf(one) }, { quietMs: 0 });
    const hook = warmAnalytics({ dataset, judges: fx.judges, raters: ratersOf(fx.judges) }, { quietMs: 0 });
    const view = warmAnalytics({ dataset, judges: fx.judges, raters: ratersOf(fx.judges) });
    expect(await Promise.all([running, hook, view])).toEqual(["warmed", "warmed", "warmed"]);
  });

  it("the refresher recomputes the viewed datasets once the data changed and went quiet, and only then", async () => {
    const { refreshSnapshots } = await import("./refresher");
    const raters = ratersOf(fx.judges);
    await agreementMatrix(fx.datasetId, raters); // viewed
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "es" } });
    expect(await refreshSnapshots(60_000)).toEqual([]); // still changing
    expect(await refreshSnapshots(0)).toContain(fx.datasetId);
    expect((await agreementMatrix(fx.datasetId, raters)).isCached).toBe(true);
    expect(await refreshSnapshots(0)).toEqual([]); // nothing changed since

    // A dataset nobody has viewed is refreshed once an import finished on it (what it wrote is
    // stood for by one more change).
    await prisma.analyticsSnapshot.deleteMany({ where: { datasetId: fx.otherDatasetId } });
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "fr" } });
    await prisma.importJob.create({
      data: { datasetName: "analytics-other", datasetId: fx.otherDatasetId, fileName: "x.jsonl", filePath: "/nonexistent", format: "jsonl", kind: "items", source: "cli", status: "completed", finishedAt: new Date() },
    });
    expect(await refreshSnapshots(0)).toEqual(expect.arrayContaining([fx.datasetId, fx.otherDatasetId]));
    expect((await agreementMatrix(fx.otherDatasetId, raters)).isCached).toBe(true);

    // A figure opened with other parameters than the views' defaults is refreshed too.
    const soft = { reward: "soft", ddof: 0, batch: 3 } as const;
    await rewardNormalisation(fx.datasetId, fx.judges[1]!, soft);
    const breakdown = () => pairBreakdown(fx.datasetId, raters[1]!, raters[2]!);
    await breakdown();
    const item = await prisma.response.findFirstOrThrow({ where: { datasetId: fx.datasetId }, select: { id: true } });
    await prisma.judgment.updateMany({ where: { responseId: item.id, judgeId: fx.judges[1]!.id }, data: { softReward: 0.42 } });
    expect(await refreshSnapshots(0)).toContain(fx.datasetId);
    expect((await rewardNormalisation(fx.datasetId, fx.judges[1]!, soft)).isCached).toBe(true);
    expect((await breakdown()).isCached).toBe(true);
  });

  it("computes the figures of a dataset whose judge run just finished, without waiting for quiet, unless another run is still going", async () => {
    const { warmAfterRuns } = await import("./refresher");
    const raters = ratersOf(fx.judges);
    await warmAfterRuns(); // the first look notes where runs stand
    const run = (status: "completed" | "running") =>
      prisma.judgeRun.create({ data: { judgeId: fx.judges[0]!.id, datasetId: fx.datasetId, source: "cli", status, finishedAt: status === "completed" ? new Date() : null } });
    const runs: { id: number }[] = [];
    try {
      // what the run wrote (any change makes the figures stale)
      await prisma.question.updateMany({ where: { datasetId: fx.datasetId }, data: { language: "de" } });
      expect((await agreementMatrix(fx.datasetId, raters, { fresh: true })).isCached).toBe(false);
      await prisma.question.updateMany({ where: { datasetId: fx.datasetId }, data: { language: "nl" } });
      runs.push(await run("completed"));
      expect(await warmAfterRuns()).toEqual([fx.datasetId]);
      expect((await agreementMatrix(fx.datasetId, raters)).isCached).toBe(true);
      expect(await warmAfterRuns()).toEqual([]); // seen already

      runs.push(await run("running"));
      await new Promise((resolve) => setTimeout(resolve, 5)); // a later finish time
      runs.push(await run("completed"));
      expect(await warmAfterRuns()).toEqual([]); // the other run still writes
    } finally {
      await prisma.judgeRun.deleteMany({ where: { id: { in: runs.map((r) => r.id) } } });
    }
  });

  it("forgets figures nobody has viewed for a while; a refresh is not a view", async () => {
    const { refreshViewed } = await import("./snapshot");
    await rewardNormalisation(fx.datasetId, fx.judges[0]!, { reward: "soft", ddof: 1, batch: 2 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await refreshViewed(24 * 3_600_000)).toBeGreaterThan(0);
    expect(await refreshViewed(50)).toBe(0); // every figure was viewed more than 50 ms ago, refreshed or not
    expect(await refreshViewed(24 * 3_600_000)).toBe(0); // and is forgotten
  });

  it("forgets the figures of a dataset being deleted instead of computing them again", async () => {
    const { refreshViewed } = await import("./snapshot");
    await rewardNormalisation(fx.datasetId, fx.judges[0]!, { reward: "soft", ddof: 1, batch: 3 });
    await prisma.dataset.update({ where: { id: fx.datasetId }, data: { deletingAt: new Date() } });
    try {
      expect(await refreshViewed(24 * 3_600_000)).toBe(0);
    } finally {
      await prisma.dataset.update({ where: { id: fx.datasetId }, data: { deletingAt: null } });
    }
    expect(await refreshViewed(24 * 3_600_000)).toBe(0); // forgotten, not merely skipped
  });
});

describe("stale snapshots", () => {
  it("are served when asked for, and only then", async () => {
    const { datasetFacets } = await import("./overview-queries");
    const first = await datasetFacets(fx.datasetId);
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "pt" } });
    const stale = await datasetFacets(fx.datasetId, { allowStale: true });
    expect(stale).toMatchObject({ isCached: true, version: first.version, value: first.value });
    const current = await datasetFacets(fx.datasetId);
    expect(current.isCached).toBe(false);
    expect(current.version).not.toBe(first.version);
  });
});
