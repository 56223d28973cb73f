import { describe, expect, it } from "vitest";
import { METADATA_KEYS_SHOWN, METADATA_VALUE_CHARS, metadataEntries } from "./metadata";

describe("metadataEntries", () => {
  it("shows strings as they are and other values as JSON, in order", () => {
    expect(metadataEntries({ step: 12, reward_request: 3, source: "nq", tags: ["a", "b"], extra: null, nested: { k: 1 } }).entries).toEqual([
      { key: "step", value: "12", cut: false },
      { key: "reward_request", value: "3", cut: false },
      { key: "source", value: "nq", cut: false },
      { key: "tags", value: '["a","b"]', cut: false },
      { key: "extra", value: "null", cut: false },
      { key: "nested", value: '{"k":1}', cut: false },
    ]);
  });

  it("cuts long values by code points and bounds the keys shown", () => {
    const long = "😀".repeat(METADATA_VALUE_CHARS + 5);
    const [entry] = metadataEntries({ long }).entries;
    expect(entry).toEqual({ key: "long", value: `${"😀".repeat(METADATA_VALUE_CHARS)}…`, cut: true });
    const many = Object.fromEntries(Array.from({ length: METADATA_KEYS_SHOWN + 7 }, (_, i) => [`k${i}`, i]));
    const shown = metadataEntries(many);
    expect(shown.entries).toHaveLength(METADATA_KEYS_SHOWN);
    expect(shown.more).toBe(7);
  });

  it("shows nothing for what is not an object", () => {
    for (const value of [null, undefined, "x", 3, [1, 2]]) expect(metadataEntries(value)).toEqual({ entries: [], more: 0 });
  });
});
