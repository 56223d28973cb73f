import { describe, expect, it } from "vitest";
import { binOf, calibration, sweepFromBuckets, sweepThresholds, thresholdSweep } from "./calibration";

// Six scored items, worked by hand:
//   p   .05  .15  .15  .72  .78  1.0
//   y    0    0    1    1    0    1
// bins: 0 {.05}, 1 {.15, .15}, 7 {.72, .78}, 9 {1.0}
//   bin 0: conf .05, acc 0   |gap| .05, weight 1/6
//   bin 1: conf .15, acc .5  |gap| .35, weight 2/6
//   bin 7: conf .75, acc .5  |gap| .25, weight 2/6
//   bin 9: conf 1,   acc 1   |gap| 0,   weight 1/6
// ECE = (.05 + .70 + .50 + 0) / 6 = 1.25 / 6
// Brier = (.0025 + .0225 + .7225 + .0784 + .6084 + 0) / 6 = 1.4343 / 6
const points = [
  { p: 0.05, y: 0 },
  { p: 0.15, y: 0 },
  { p: 0.15, y: 1 },
  { p: 0.72, y: 1 },
  { p: 0.78, y: 0 },
  { p: 1.0, y: 1 },
] as const;

describe("calibration", () => {
  it("puts p = 1 in the last bin and bin edges in the upper bin", () => {
    expect([0, 0.0999, 0.1, 0.5, 0.9, 0.95, 1].map((p) => binOf(p))).toEqual([0, 0, 1, 5, 9, 9, 9]);
  });

  it("computes the reliability diagram, ECE and Brier score of a hand-worked example", () => {
    const c = calibration(points);
    expect(c.n).toBe(6);
    expect(c.bins.map((b) => b.n)).toEqual([1, 2, 0, 0, 0, 0, 0, 2, 0, 1]);
    expect(c.bins[1]).toMatchObject({ low: 0.1, high: 0.2, observed: 0.5 });
    expect(c.bins[1]!.meanP).toBeCloseTo(0.15, 12);
    expect(c.bins[7]!.meanP).toBeCloseTo(0.75, 12);
    expect(c.bins[2]).toMatchObject({ meanP: null, observed: null });
    expect(c.ece).toBeCloseTo(1.25 / 6, 12);
    expect(c.brier).toBeCloseTo(1.4343 / 6, 12);
  });

  it("is 0 for a perfectly calibrated judge, and undefined without data", () => {
    expect(calibration([{ p: 0, y: 0 }, { p: 1, y: 1 }])).toMatchObject({ ece: 0, brier: 0 });
    expect(calibration([])).toMatchObject({ n: 0, ece: null, brier: null });
  });
});

describe("threshold sweep", () => {
  it("counts YES as p >= threshold", () => {
    const [t0, t5, t10] = thresholdSweep(points, [0, 0.5, 1]);
    // t = 0: everything YES: tp 3, fp 3
    expect(t0).toMatchObject({ tp: 3, fp: 3, fn: 0, tn: 0, accuracy: 0.5 });
    expect(t0!.f1).toBeCloseTo(6 / 9, 12);
    // t = .5: YES for .72 (1), .78 (0), 1.0 (1): tp 2, fp 1, fn 1, tn 2
    expect(t5).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 2 });
    expect(t5!.accuracy).toBeCloseTo(4 / 6, 12);
    expect(t5!.f1).toBeCloseTo(4 / 6, 12);
    // t = 1: only p = 1.0 is YES
    expect(t10).toMatchObject({ tp: 1, fp: 0, fn: 2, tn: 3 });
  });
});

describe("threshold sweep from width_bucket counts", () => {
  it("equals the sweep over the scored items", () => {
    const thresholds = sweepThresholds();
    // width_bucket(p, thresholds): the number of thresholds <= p
    const bucket = (p: number) => thresholds.filter((t) => t <= p).length;
    const counts = new Map<number, { bucket: number; positives: number; negatives: number }>();
    const many = [...points, { p: 0.3, y: 1 }, { p: 0.35, y: 0 }, { p: 0.049, y: 1 }, { p: 0, y: 0 }] as const;
    for (const { p, y } of many) {
      const c = counts.get(bucket(p)) ?? { bucket: bucket(p), positives: 0, negatives: 0 };
      if (y) c.positives++;
      else c.negatives++;
      counts.set(c.bucket, c);
    }
    expect(sweepFromBuckets([...counts.values()], thresholds)).toEqual(thresholdSweep(many, thresholds));
  });
});
