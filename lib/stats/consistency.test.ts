import { describe, expect, it } from "vitest";
import { selfConsistency } from "./consistency";

describe("self-consistency", () => {
  it("matches a hand computation", () => {
    // 10 items YYY, 4 items YYN, 2 items YN, 5 items with a single sample (left out).
    // flipped: 6 of 16. pairs: 10*3 + 4*3 + 2*1 = 44; disagreeing: 4*(2*1) + 2*(1*1) = 10.
    const c = selfConsistency([
      { yes: 3, no: 0, items: 10 },
      { yes: 2, no: 1, items: 4 },
      { yes: 1, no: 1, items: 2 },
      { yes: 1, no: 0, items: 5 },
    ]);
    expect(c).toMatchObject({ items: 16, flipped: 6 });
    expect(c.flipRate).toBeCloseTo(6 / 16, 12);
    expect(c.pairwiseDisagreement).toBeCloseTo(10 / 44, 12);
  });

  it("is undefined without repeated samples", () => {
    expect(selfConsistency([{ yes: 1, no: 0, items: 3 }])).toMatchObject({ items: 0, flipRate: null, pairwiseDisagreement: null });
  });
});
