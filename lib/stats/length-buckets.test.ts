import { describe, expect, it } from "vitest";
import { LENGTH_BUCKETS, lengthBucketByKey, lengthBucketOf } from "./length-buckets";

describe("response-length buckets", () => {
  it("are half-open [min, max) like SQL's width_bucket", () => {
    expect([0, 199, 200, 499, 500, 999, 1000, 3999, 4000, 100000].map(lengthBucketOf)).toEqual([0, 0, 1, 1, 2, 2, 3, 4, 5, 5]);
  });

  it("have URL keys that round-trip", () => {
    expect(LENGTH_BUCKETS.map((b) => b.key)).toEqual(["0-200", "200-500", "500-1000", "1000-2000", "2000-4000", "4000+"]);
    expect(lengthBucketByKey("500-1000")).toMatchObject({ min: 500, max: 1000, label: "500–999 chars" });
    expect(lengthBucketByKey("4000+")).toMatchObject({ min: 4000, max: null });
    expect(lengthBucketByKey("1-2")).toBeUndefined();
  });
});
