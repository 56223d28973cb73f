// The SQL behind the analytics views against the pure functions of lib/stats on the same rows:
// the fixture's rows are read back plainly (tests/analytics-fixture.ts) and every figure is
// recomputed in JS; the SQL must give the same counts and, for sums of floats, the same values
// to 1e-9.
import { beforeAll, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { answerOf, buildFixture, goldOf, readItems, type TFixture, type TItem } from "@/tests/analytics-fixture";
import { agreement } from "./agreement";
import { agreementMatrix, pairAgreement, pairBreakdown, ratersOf } from "./agreement-queries";
import { calibration, thresholdSweep } from "./calibration";
import { judgeCalibration } from "./calibration-queries";
import { judgeQuality } from "./classification";
import { judgeQualityTable } from "./quality-queries";
import { lengthBucketOf } from "./length-buckets";
import type { TRaterRef } from "./sql";
import { cellFilters } from "@/lib/judgments/cell-filters";
import { countJudgments, judgeColumns, listJudgments } from "@/lib/judgments/queries";
import { LENGTH_BUCKETS } from "./length-buckets";

const prisma = testDb();
let fx: TFixture;
let items: TItem[];
let raters: TRaterRef[];

beforeAll(async () => {
  await resetDb();
  fx = await buildFixture(prisma);
  items = await readItems(prisma, fx.datasetId, fx.judges);
  raters = ratersOf(fx.judges);
});

const answer = (item: TItem, rater: TRaterRef) => (rater.kind === "expert" ? goldOf(item) : answerOf(item, rater.id));

function confusion(rows: TItem[], a: TRaterRef, b: TRaterRef) {
  const cells = { yy: 0, yn: 0, ny: 0, nn: 0 };
  for (const item of rows) {
    const x = answer(item, a);
    const y = answer(item, b);
    if (x === null || y === null) continue;
    cells[x ? (y ? "yy" : "yn") : y ? "ny" : "nn"]++;
  }
  return cells;
}

describe("agreement SQL", () => {
  it("has data on every path (the fixture is not vacuous)", () => {
    expect(items.length).toBeGreaterThan(100);
    const a = fx.judges[0]!.id;
    const verdicts = new Set(items.map((i) => {
      const first = i.judgments.get(a)?.find((j) => j.sample === 0);
      return first ? (first.verdict ?? "failed") : "none";
    }));
    expect([...verdicts].sort()).toEqual(["NO", "UNPARSEABLE", "YES", "failed", "none"]);
    expect(new Set(items.map((i) => i.gold))).toEqual(new Set(["correct", "incorrect", "unsure", null]));
  });

  it("gives every pair's 2x2 table, kappa and interval as counted item by item", async () => {
    const { value, isCached } = await agreementMatrix(fx.datasetId, raters, { fresh: true });
    expect(isCached).toBe(false);
    expect(value.pairs).toHaveLength(3);
    for (const pair of value.pairs) {
      const a = raters[pair.a]!;
      const b = raters[pair.b]!;
      const want = agreement(confusion(items, a, b));
      expect(pair).toMatchObject({ yy: want.yy, yn: want.yn, ny: want.ny, nn: want.nn, n: want.n });
      expect(pair.kappa).toBeCloseTo(want.kappa!, 12);
      expect(pair.ciLow).toBeCloseTo(want.ciLow!, 12);
      expect(pair.answeredA).toBe(items.filter((i) => answer(i, a) !== null).length);
    }
    const single = await pairAgreement(fx.datasetId, raters[0]!, raters[2]!);
    expect(single).toMatchObject({ ...confusion(items, raters[0]!, raters[2]!) });
  });

  it("breaks a pair down by subject, policy model and length bucket", async () => {
    const [a, b] = [raters[0]!, raters[1]!];
    const { value } = await pairBreakdown(fx.datasetId, a, b, { fresh: true });
    const groups: [string, (i: TItem) => string | null][] = [
      ["subject", (i) => i.subject],
      ["policyModel", (i) => i.policyModel],
      ["length", (i) => String(lengthBucketOf(i.textLength))],
    ];
    for (const [dimension, keyOf] of groups) {
      const keys = new Set(items.filter((i) => answer(i, a) !== null && answer(i, b) !== null).map(keyOf));
      const rows = value.filter((r) => r.dimension === dimension);
      expect(rows.map((r) => r.value).sort()).toEqual([...keys].sort());
      for (const row of rows) {
        const want = confusion(items.filter((i) => keyOf(i) === row.value), a, b);
        expect({ yy: row.yy, yn: row.yn, ny: row.ny, nn: row.nn }).toEqual(want);
      }
    }
    expect(new Set(value.filter((r) => r.dimension === "subject").map((r) => r.value))).toContain(null);
  });
});

describe("confusion cells open exactly their items", () => {
  it("every cell of every pair, and of every breakdown row, counts in the judgments list what the table says", async () => {
    const columns = await judgeColumns(fx.datasetId);
    const { value } = await agreementMatrix(fx.datasetId, raters);
    const cells = [["yy", true, true], ["yn", true, false], ["ny", false, true], ["nn", false, false]] as const;
    for (const pair of value.pairs) {
      const [a, b] = [raters[pair.a]!, raters[pair.b]!];
      for (const [cell, aYes, bYes] of cells) {
        expect(await countJudgments(cellFilters(fx.datasetId, a, b, aYes, bYes), columns)).toBe(pair[cell]);
      }
      // and the list shows those very items
      const listed = await listJudgments(cellFilters(fx.datasetId, a, b, true, false), columns, 1000);
      expect(listed.rows.map((r) => r.id)).toEqual(items.filter((i) => answer(i, a) === true && answer(i, b) === false).map((i) => i.id));
    }
    const { value: breakdown } = await pairBreakdown(fx.datasetId, raters[0]!, raters[2]!);
    for (const row of breakdown) {
      if (row.value === null) continue;
      const scope =
        row.dimension === "subject" ? { subject: row.value } : row.dimension === "policyModel" ? { model: row.value } : { len: LENGTH_BUCKETS[Number(row.value)]!.key };
      for (const [cell, aYes, bYes] of cells) {
        expect(await countJudgments(cellFilters(fx.datasetId, raters[0]!, raters[2]!, aYes, bYes, scope), columns)).toBe(row[cell]);
      }
    }
  });
});

describe("judge quality SQL", () => {
  it("counts tp/fp/fn/tn per judge and per subject as item by item", async () => {
    const { value } = await judgeQualityTable(fx.datasetId, fx.judges, { fresh: true });
    const expert = raters.at(-1)!;
    for (const judge of raters.slice(0, 2)) {
      for (const subject of [undefined, "medicine", "chemistry", null] as const) {
        const rows = subject === undefined ? items : items.filter((i) => i.subject === subject);
        const c = confusion(rows, judge, expert);
        const want = judgeQuality({ tp: c.yy, fp: c.yn, fn: c.ny, tn: c.nn });
        const got = value.find((r) => r.judgeId === (judge as { id: number }).id && (subject === undefined ? r.isOverall : !r.isOverall && r.subject === subject));
        expect(got).toMatchObject({ tp: want.tp, fp: want.fp, fn: want.fn, tn: want.tn });
        expect(got!.f1).toBeCloseTo(want.f1!, 12);
        expect(got!.falseAcceptRate).toBeCloseTo(want.falseAcceptRate!, 12);
      }
    }
  });
});

describe("calibration SQL", () => {
  it("gives the reliability bins, ECE, Brier score and sweep of the pure functions", async () => {
    for (const judge of fx.judges) {
      for (const subject of [undefined, "medicine"]) {
        const points = items
          .filter((i) => (subject === undefined || i.subject === subject) && (i.gold === "correct" || i.gold === "incorrect"))
          .flatMap((i) => {
            const first = i.judgments.get(judge.id)?.find((j) => j.sample === 0);
            return first && first.soft !== null ? [{ p: first.soft, y: i.gold === "correct" ? (1 as const) : (0 as const) }] : [];
          });
        expect(points.length).toBeGreaterThan(10);
        const want = calibration(points);
        const { value } = await judgeCalibration(fx.datasetId, judge, subject, { fresh: true });
        expect(value.n).toBe(want.n);
        expect(value.bins.map((b) => b.n)).toEqual(want.bins.map((b) => b.n));
        value.bins.forEach((b, i) => {
          if (b.meanP === null) expect(want.bins[i]!.meanP).toBeNull();
          else expect(b.meanP).toBeCloseTo(want.bins[i]!.meanP!, 9);
        });
        expect(value.ece).toBeCloseTo(want.ece!, 9);
        expect(value.brier).toBeCloseTo(want.brier!, 9);
        expect(value.sweep).toEqual(thresholdSweep(points));
      }
    }
  });
});
