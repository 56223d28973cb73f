import { describe, expect, it } from "vitest";
import { groupZScores, zScores } from "./normalize";

describe("zScores (Eq. 5)", () => {
  it("matches values computed by hand", () => {
    // rewards 1, 0, 0, 1, 1: mean 0.6, population variance (0.16*3 + 0.36*2) / 5 = 0.24,
    // std = sqrt(0.24) = 0.489898; (1 - 0.6) / 0.489898 = 0.816497, (0 - 0.6) / 0.489898 = -1.224745
    const z = zScores([1, 0, 0, 1, 1]);
    const expected = [0.816497, -1.224745, -1.224745, 0.816497, 0.816497];
    z.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it("agrees with a second method: mean 0 and population variance 1 after normalising", () => {
    const rewards = [0.91, 0.12, 0.5, 0.77, 0.03, 0.64, 0.64];
    const z = zScores(rewards);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(mean).toBeCloseTo(0, 12);
    expect(variance).toBeCloseTo(1, 12);
    // order is kept
    expect(z[0]).toBeGreaterThan(z[3]!);
  });

  it("gives 0 everywhere when std = 0, including equal up to rounding", () => {
    expect(zScores([1, 1, 1])).toEqual([0, 0, 0]);
    expect(zScores([0.1 + 0.2, 0.3, 0.30000000000000004])).toEqual([0, 0, 0]);
    expect(zScores([0.7])).toEqual([0]);
    expect(zScores([])).toEqual([]);
  });
});

describe("groupZScores (per prompt, as GRPO)", () => {
  it("normalises within each group and keeps positions", () => {
    const z = groupZScores([1, 0, 5, 1, 0, 5], ["a", "a", "b", "a", "a", "b"]);
    // group a: 1, 0, 1, 0 -> mean 0.5, std 0.5 -> +1, -1, +1, -1; group b: 5, 5 -> 0, 0
    expect(z).toEqual([1, -1, 0, 1, -1, 0]);
  });
});
