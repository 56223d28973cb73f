import { describe, expect, it } from "vitest";
import { judgeQuality } from "./classification";

describe("judge quality against experts", () => {
  it("matches a hand computation", () => {
    // tp 40, fp 10, fn 20, tn 30 (n 100): accuracy 70/100; precision 40/50; recall 40/60;
    // F1 = 2 * .8 * (2/3) / (.8 + 2/3) = 80/110; false accepts 10/40; false rejects 20/60.
    const q = judgeQuality({ tp: 40, fp: 10, fn: 20, tn: 30 });
    expect(q.n).toBe(100);
    expect(q.accuracy).toBeCloseTo(0.7, 12);
    expect(q.precision).toBeCloseTo(0.8, 12);
    expect(q.recall).toBeCloseTo(2 / 3, 12);
    expect(q.f1).toBeCloseTo(80 / 110, 12);
    expect(q.f1).toBeCloseTo((2 * 0.8 * (2 / 3)) / (0.8 + 2 / 3), 12);
    expect(q.falseAcceptRate).toBeCloseTo(0.25, 12);
    expect(q.falseRejectRate).toBeCloseTo(1 / 3, 12);
  });

  it("leaves undefined ratios undefined instead of 0", () => {
    const q = judgeQuality({ tp: 0, fp: 0, fn: 0, tn: 5 });
    expect(q).toMatchObject({ accuracy: 1, precision: null, recall: null, f1: null, falseAcceptRate: 0, falseRejectRate: null });
    expect(judgeQuality({ tp: 0, fp: 0, fn: 0, tn: 0 }).accuracy).toBeNull();
  });
});
