import { describe, expect, it } from "vitest";
import { eq4Reward, renormalizedReward } from "./soft-reward";

describe("soft rewards (Eq. 4 and renormalised)", () => {
  it("Eq. 4 takes P(YES) for YES and 1 - P(NO) for NO", () => {
    expect(eq4Reward("YES", 0.9, 0.05)).toBe(0.9);
    expect(eq4Reward("NO", 0.2, 0.7)).toBeCloseTo(0.3, 12);
  });
  it("Eq. 4 has no value without a verdict or the needed probability", () => {
    expect(eq4Reward("UNPARSEABLE", 0.5, 0.5)).toBeNull();
    expect(eq4Reward(null, 0.5, 0.5)).toBeNull();
    expect(eq4Reward("YES", null, 0.1)).toBeNull();
    expect(eq4Reward("NO", 0.1, null)).toBeNull();
  });
  it("renormalises over the two classes: 0.6 / (0.6 + 0.2) = 0.75", () => {
    expect(renormalizedReward(0.6, 0.2)).toBeCloseTo(0.75, 12);
  });
  it("is null when a probability is missing or both are zero", () => {
    expect(renormalizedReward(null, 0.2)).toBeNull();
    expect(renormalizedReward(0, 0)).toBeNull();
  });
});
