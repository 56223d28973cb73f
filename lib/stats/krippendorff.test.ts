import { describe, expect, it } from "vitest";
import { krippendorffAlphaNominal, type TUnitProfile } from "./krippendorff";

/** Value counts per unit from a coders x units table (null = missing), over `values`. */
function profiles(table: (number | string | null)[][], values: (number | string)[]): TUnitProfile[] {
  return table[0]!.map((_, u) => ({ counts: values.map((v) => table.filter((row) => row[u] === v).length) }));
}

describe("Krippendorff's alpha, nominal", () => {
  it("matches the computational example of Wikipedia's 'Krippendorff's alpha' article (0.691)", () => {
    // 3 coders, 15 units, values 1..4; the same data and result (0.691358) are the reference test
    // of the `krippendorff` Python package (pln-fing-udelar/fast-krippendorff,
    // tests/test_krippendorff.py, test_nominal_metric_reliability_data).
    const _ = null;
    const data = [
      [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
      [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
      [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
    ];
    const result = krippendorffAlphaNominal(profiles(data, [1, 2, 3, 4]));
    expect(result.alpha).toBeCloseTo(0.691358, 6);
    // By hand: units 3-13 and 15 are pairable (12), with 2 values each except units 6 and 7 (3): n = 26
    expect(result.units).toBe(12);
    expect(result.values).toBe(26);
  });

  it("matches Krippendorff (2011), section C: 4 observers, 12 units, missing data (0.743)", () => {
    // "Computing Krippendorff's Alpha-Reliability", nominal alpha = 0.743 on this table.
    const _ = null;
    const data = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
      [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ];
    expect(krippendorffAlphaNominal(profiles(data, [1, 2, 3, 4, 5])).alpha).toBeCloseTo(0.743, 3);
  });

  it("matches the string-label example of the krippendorff package (0.722222)", () => {
    const _ = null;
    const data = [
      ["pos", "neg", "neu", _],
      ["pos", "neg", "neu", "pos"],
      ["pos", "neg", "pos", "pos"],
    ];
    expect(krippendorffAlphaNominal(profiles(data, ["pos", "neg", "neu"])).alpha).toBeCloseTo(0.722222, 6);
  });

  it("matches a hand computation for two coders and binary labels", () => {
    // Units: (1,1) x3, (0,0) x1, (1,0) x1. Coincidences: o11 = 6, o00 = 2, o10 = o01 = 1;
    // n1 = 7, n0 = 3, n = 10. alpha = 1 - 9 * 2 / (7*3 + 3*7) = 1 - 18/42 = 4/7.
    const result = krippendorffAlphaNominal([
      { counts: [0, 2], multiplicity: 3 },
      { counts: [2, 0] },
      { counts: [1, 1] },
    ]);
    expect(result.coincidences).toEqual([
      [2, 1],
      [1, 6],
    ]);
    expect(result.alpha).toBeCloseTo(4 / 7, 12);
    expect(result.units).toBe(5);
  });

  it("leaves out units with a single value and is undefined without variation", () => {
    expect(krippendorffAlphaNominal([{ counts: [1, 0] }, { counts: [0, 1] }])).toMatchObject({ alpha: null, units: 0 });
    expect(krippendorffAlphaNominal([{ counts: [2, 0] }, { counts: [3, 0] }]).alpha).toBeNull();
    expect(krippendorffAlphaNominal([{ counts: [2, 0] }, { counts: [0, 2] }]).alpha).toBe(1);
  });
});
