import { describe, expect, it } from "vitest";
import { agreement } from "./agreement";

describe("agreement / Cohen's kappa", () => {
  it("matches the worked example of Wikipedia's 'Cohen's kappa' article (20/5/10/15 -> 0.4)", () => {
    // 50 proposals, A and B say yes together 20 times, no together 15; A yes B no 5, A no B yes 10.
    // po = 35/50 = 0.7; pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4
    const a = agreement({ yy: 20, yn: 5, ny: 10, nn: 15 });
    expect(a.n).toBe(50);
    expect(a.observed).toBeCloseTo(0.7, 12);
    expect(a.expected).toBeCloseTo(0.5, 12);
    expect(a.kappa).toBeCloseTo(0.4, 12);
  });

  it("matches a hand computation with unequal marginals", () => {
    // yy 45, yn 15, ny 25, nn 15: po = 0.6; A yes 0.6, B yes 0.7; pe = 0.42 + 0.12 = 0.54;
    // kappa = 0.06 / 0.46
    const a = agreement({ yy: 45, yn: 15, ny: 25, nn: 15 });
    expect(a.kappa).toBeCloseTo(0.06 / 0.46, 12);
  });

  it("is 1 for perfect agreement and 0 when agreement equals chance", () => {
    expect(agreement({ yy: 3, yn: 0, ny: 0, nn: 7 }).kappa).toBeCloseTo(1, 12);
    // A and B independent with p(yes) = 0.5 each: po = pe = 0.5
    expect(agreement({ yy: 25, yn: 25, ny: 25, nn: 25 }).kappa).toBeCloseTo(0, 12);
  });

  it("is negative when the raters disagree more than chance", () => {
    expect(agreement({ yy: 0, yn: 5, ny: 5, nn: 0 }).kappa).toBeCloseTo(-1, 12);
  });

  it("is undefined, not a number, without data or without variation", () => {
    expect(agreement({ yy: 0, yn: 0, ny: 0, nn: 0 })).toMatchObject({ n: 0, observed: null, kappa: null });
    expect(agreement({ yy: 9, yn: 0, ny: 0, nn: 0 })).toMatchObject({ observed: 1, kappa: null });
  });
});

describe("kappa's standard error and 95% interval (Fleiss, Cohen & Everitt 1969)", () => {
  it("matches Stata's kapci on a published 2x2 table", () => {
    // Statalist, 2009-12, "st: kappa agreement standard errors" (stata.com/statalist/archive/2009-12/msg00320.html):
    // rows 0/1 of rater 1, columns of rater 2: 1395 118 / 261 158, N = 1932.
    // kapci: kappa .3411969207847029, se .0262913719660408, 95% CI .2896667786271169 - .3927270629422889.
    const a = agreement({ yy: 158, yn: 261, ny: 118, nn: 1395 });
    expect(a.kappa).toBeCloseTo(0.3411969207847029, 12);
    expect(a.se).toBeCloseTo(0.0262913719660408, 12);
    expect(a.ciLow).toBeCloseTo(0.2896667786271169, 12);
    expect(a.ciHigh).toBeCloseTo(0.3927270629422889, 12);
  });

  it("matches statpsych's ci.kappa example (Bonett; Fleiss, Levin & Paik 2003)", () => {
    // dgbonett.github.io/statpsych/reference/ci.kappa.html: ci.kappa(.05, f00 = 31, f01 = 12, f10 = 4, f11 = 58)
    // -> Cohen kappa 0.6756757, SE 0.07344761, 95% CI 0.5317210 .. 0.8196303.
    const a = agreement({ yy: 58, yn: 4, ny: 12, nn: 31 });
    expect(a.kappa).toBeCloseTo(0.6756757, 7);
    expect(a.se).toBeCloseTo(0.07344761, 8);
    expect(a.ciLow).toBeCloseTo(0.531721, 6);
    expect(a.ciHigh).toBeCloseTo(0.8196303, 7);
  });

  it("matches a hand computation on Wikipedia's table", () => {
    // p = [[.4, .1], [.2, .3]], rows .5/.5, columns .6/.4, pe = .5, kappa = .4, 1 - kappa = .6
    // diagonal: .4 (1 - 1.1 * .6)^2 + .3 (1 - .9 * .6)^2 = .04624 + .06348 = .10972
    // off-diagonal: .36 (.1 * 1.1^2 + .2 * .9^2) = .36 * .283 = .10188
    // (kappa - pe (1 - kappa))^2 = .1^2 = .01
    // Var = (.10972 + .10188 - .01) / (50 * .25) = .016128
    const a = agreement({ yy: 20, yn: 5, ny: 10, nn: 15 });
    expect(a.se).toBeCloseTo(Math.sqrt(0.016128), 12);
    expect(a.ciLow).toBeCloseTo(0.4 - 1.959963984540054 * Math.sqrt(0.016128), 12);
  });

  it("is 0 with perfect agreement or perfect disagreement, with no interval, and undefined where kappa is", () => {
    // Perfect agreement: p12 = p21 = 0 and kappa = 1, so every term of the variance is 0.
    expect(agreement({ yy: 3, yn: 0, ny: 0, nn: 7 })).toMatchObject({ kappa: 1, se: 0, ciLow: null, ciHigh: null });
    expect(agreement({ yy: 5000, yn: 0, ny: 0, nn: 5000 })).toMatchObject({ kappa: 1, se: 0, ciLow: null, ciHigh: null });
    // Two experts, two items, opposite answers on each: p12 = p21 = 1/2, marginals 1/2, pe = 1/2,
    // kappa = -1; diagonal 0, off-diagonal 4 * (1/2 * 1 + 1/2 * 1) = 4, (k - pe(1 - k))^2 = (-2)^2 = 4:
    // Var = 0. The interval had read [-1, -1].
    expect(agreement({ yy: 0, yn: 1, ny: 1, nn: 0 })).toMatchObject({ kappa: -1, se: 0, ciLow: null, ciHigh: null });
    // One disagreement in a hundred: a real interval again.
    const near = agreement({ yy: 50, yn: 1, ny: 0, nn: 49 });
    expect(near.se).toBeGreaterThan(0);
    expect(near.ciLow).toBeLessThan(near.kappa!);
    expect(agreement({ yy: 9, yn: 0, ny: 0, nn: 0 })).toMatchObject({ se: null, ciLow: null, ciHigh: null });
    expect(agreement({ yy: 0, yn: 0, ny: 0, nn: 0 }).se).toBeNull();
  });

  it("is 0 with no interval when one rater gave one answer to every item", () => {
    // A says YES three times, B YES twice and NO once: observed = 2/3, expected = 1 * 2/3 + 0 = 2/3,
    // kappa = 0 whatever B did; Fleiss-Cohen-Everitt's variance is then 0, an interval of no width.
    expect(agreement({ yy: 2, yn: 1, ny: 0, nn: 0 })).toMatchObject({ kappa: 0, se: null, ciLow: null, ciHigh: null });
    expect(agreement({ yy: 0, yn: 0, ny: 4, nn: 6 })).toMatchObject({ kappa: 0, se: null, ciLow: null, ciHigh: null });
  });
});
