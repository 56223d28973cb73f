import { describe, expect, it } from "vitest";
import { groupStats, groupZValues, histogram, histogramBin, meanStd, zScores } from "./rewards";

describe("Eq. 5: z-score normalisation", () => {
  it("matches a hand computation with the sample and the population std", () => {
    // rewards 1, 0, 0, 1, 1: mean .6; squares .16 .36 .36 .16 .16 = 1.2
    // sample std sqrt(1.2 / 4) = sqrt(.3); population std sqrt(1.2 / 5) = sqrt(.24)
    const r = [1, 0, 0, 1, 1];
    expect(meanStd(r, 1).std).toBeCloseTo(Math.sqrt(0.3), 12);
    expect(zScores(r, 1)[0]).toBeCloseTo(0.4 / Math.sqrt(0.3), 12);
    expect(zScores(r, 1)[1]).toBeCloseTo(-0.6 / Math.sqrt(0.3), 12);
    expect(zScores(r, 0)[0]).toBeCloseTo(0.4 / Math.sqrt(0.24), 12);
  });

  it("gives 0 to every reward when std = 0 (and to a lone reward under the sample std)", () => {
    expect(zScores([1, 1, 1, 1])).toEqual([0, 0, 0, 0]);
    expect(zScores([0.3, 0.3], 0)).toEqual([0, 0]);
    expect(zScores([0.7], 1)).toEqual([0]);
    expect(zScores([0.7], 0)).toEqual([0]);
    expect(zScores([])).toEqual([]);
  });

  it("normalised rewards have mean 0 and the chosen std 1", () => {
    const z = zScores([0.1, 0.4, 0.35, 0.9, 0.2], 1);
    expect(meanStd(z, 1).mean).toBeCloseTo(0, 12);
    expect(meanStd(z, 1).std).toBeCloseTo(1, 12);
  });

  it("derives a group's normalised binary rewards from (k, passes)", () => {
    // k 4, 1 pass: mean .25, sample std sqrt((.5625 + 3 * .0625) / 3) = sqrt(.25) = .5
    expect(groupZValues(4, 1, 1)).toEqual({ pass: 1.5, fail: -0.5 });
    expect(groupZValues(4, 0, 1)).toEqual({ pass: 0, fail: 0 });
    expect(groupZValues(4, 4, 0)).toEqual({ pass: 0, fail: 0 });
    const z = zScores([1, 1, 0, 0, 0], 0);
    expect(groupZValues(5, 2, 0).pass).toBeCloseTo(z[0]!, 12);
    expect(groupZValues(5, 2, 0).fail).toBeCloseTo(z[4]!, 12);
  });
});

describe("histograms", () => {
  it("bins equal-width with outside values in the edge bins", () => {
    expect([-5, -3, -2.99, 0, 2.99, 3, 7].map((v) => histogramBin(v, -3, 3, 6))).toEqual([0, 0, 0, 3, 5, 5, 5]);
    expect(histogram([0, 0.05, 0.1, 0.55, 1], 0, 1, 10)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});

describe("per-question group statistics", () => {
  it("counts zero-variance groups (all pass or all fail) among groups of two or more", () => {
    const s = groupStats([
      { k: 4, passes: 0, groups: 10 },
      { k: 4, passes: 4, groups: 5 },
      { k: 4, passes: 2, groups: 20 },
      { k: 4, passes: 1, groups: 5 },
      { k: 1, passes: 1, groups: 3 },
    ]);
    expect(s).toMatchObject({ groups: 43, singletons: 3, zeroVariance: 15, allPass: 5, allFail: 10 });
    expect(s.zeroVarianceShare).toBeCloseTo(15 / 40, 12);
    // pass rates: 0 (10), 1 (5 + 3 singletons), .5 (20), .25 (5)
    expect(s.passRateHistogram).toEqual([10, 0, 5, 0, 0, 20, 0, 0, 0, 8]);
  });
});
