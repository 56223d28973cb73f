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
