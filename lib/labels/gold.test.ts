import { describe, expect, it } from "vitest";
import { resolveGold } from "./gold";

describe("resolveGold (majority of expert labels)", () => {
  it.each([
    [[], null],
    [["correct"], "correct"],
    [["correct", "correct", "incorrect"], "correct"],
    [["incorrect", "correct", "incorrect"], "incorrect"],
    [["correct", "incorrect"], null],
    [["correct", "incorrect", "unsure"], null],
    [["unsure"], "unsure"],
    [["unsure", "unsure", "incorrect"], "incorrect"],
  ] as const)("%j -> %s", (values, expected) => {
    expect(resolveGold(values)).toBe(expected);
  });
});
