import { describe, expect, it } from "vitest";
import { isRowId, MAX_ROW_ID, rowIdOf, storableText, ZRowId, ZRowIdParam } from "./values";

describe("row ids from outside", () => {
  it("accept 1 to the largest int4 (2^31 - 1), as text or number", () => {
    expect(MAX_ROW_ID).toBe(2 ** 31 - 1);
    expect(rowIdOf("1")).toBe(1);
    expect(rowIdOf("2147483647")).toBe(2147483647);
    expect(ZRowIdParam.parse("2147483647")).toBe(2147483647);
    expect(ZRowId.parse(42)).toBe(42);
  });

  it("refuse what names no row: 0, negatives, fractions, beyond int4, non-digits", () => {
    for (const raw of ["0", "-1", "1.5", "2147483648", "99999999999", "1e3", " 1", "abc", ""]) expect(rowIdOf(raw), raw).toBeNull();
    expect(rowIdOf(undefined)).toBeNull();
    expect(rowIdOf(["1"])).toBeNull();
    expect(ZRowIdParam.safeParse("2147483648").success).toBe(false);
    expect(ZRowId.safeParse(2 ** 31).success).toBe(false);
    expect(ZRowId.safeParse(0).success).toBe(false);
    expect([1, MAX_ROW_ID].map(isRowId)).toEqual([true, true]);
    expect([0, -1, 1.5, MAX_ROW_ID + 1, Number.NaN].map(isRowId)).toEqual([false, false, false, false, false]);
  });
});

describe("storableText", () => {
  it("is false for text holding NUL, which a text column cannot store", () => {
    expect(storableText("medicine")).toBe(true);
    expect(storableText("")).toBe(true);
    expect(storableText("a\u0000b")).toBe(false);
  });
});
