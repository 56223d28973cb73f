import { describe, expect, it } from "vitest";
import { groupZScores } from "./normalize";

describe("groupZScores (Eq. 5 per prompt, as GRPO)", () => {
  it("normalises within each group with the sample std, and keeps positions", () => {
    // group a: 1, 0, 1, 0 -> mean 0.5, sample std sqrt((4 * 0.25) / 3) = 0.57735 -> +-0.866025;
    // group b: 5, 5 -> std 0 -> 0, 0
    const z = groupZScores([1, 0, 5, 1, 0, 5], ["a", "a", "b", "a", "a", "b"]);
    const expected = [0.866025, -0.866025, 0, 0.866025, -0.866025, 0];
    z.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it("gives a lone response 0 (no std from one reward)", () => {
    expect(groupZScores([0.7, 1, 0], ["x", "y", "y"])).toEqual([0, 0.7071067811865475, -0.7071067811865475]);
  });
});
