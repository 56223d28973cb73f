import { describe, expect, it } from "vitest";
import { describeSource, sampleSize, sourceFilters, ZQueueSource } from "./source";

describe("queue sources", () => {
  it("parses the judgments filter exactly as the list does, without the cursor", () => {
    const f = sourceFilters("dataset=4&verdict=1:YES&verdict=2:NO&label=incorrect&after=99");
    expect(f).toMatchObject({ dataset: 4, verdict: [{ judgeId: 1, verdict: "YES" }, { judgeId: 2, verdict: "NO" }], label: "incorrect" });
    expect(f.after).toBeUndefined();
    expect(() => sourceFilters("verdict=1:YES")).toThrow(); // no dataset
  });

  it.each([
    // size: capped by what there is; percent: rounded to the nearest item, at least one
    [{ mode: "size", size: 50, seed: 1 }, 1490, 50],
    [{ mode: "size", size: 50, seed: 1 }, 12, 12],
    [{ mode: "percent", percent: 10, seed: 1 }, 1490, 149],
    [{ mode: "percent", percent: 2.5, seed: 1 }, 99, 2], // 2.475 -> 2
    [{ mode: "percent", percent: 0.1, seed: 1 }, 20, 1], // 0.02 -> at least 1
    [{ mode: "percent", percent: 50, seed: 1 }, 0, 0],
  ] as const)("sample %j of %i -> %i", (sample, n, expected) => {
    expect(sampleSize(sample, n)).toBe(expected);
  });

  it("refuses an inverted band and describes a source in words", () => {
    expect(ZQueueSource.safeParse({ filter: "dataset=1", band: { judgeId: 1, metric: "p_yes", min: 0.7, max: 0.3 } }).success).toBe(false);
    const source = ZQueueSource.parse({ filter: "dataset=1&verdict=1:YES&verdict=2:NO", band: { judgeId: 2, metric: "p_yes", min: 0.3, max: 0.7 }, sample: { mode: "size", size: 20, seed: 7 } });
    const names: Record<number, string> = { 1: "72B", 2: "7B" };
    expect(describeSource(source, (id) => names[id]!)).toBe("72B says YES, 7B says NO; P(YES) of 7B in [0.3, 0.7]; random 20 (seed 7)");
    // The example: "72B says YES, 7B says NO, subject = medicine".
    const medicine = ZQueueSource.parse({ filter: "dataset=1&verdict=1:YES&verdict=2:NO&subject=medicine" });
    expect(describeSource(medicine, (id) => names[id]!)).toBe("72B says YES, 7B says NO, subject medicine");
    expect(sourceFilters(medicine.filter).subject).toBe("medicine");
  });
});
