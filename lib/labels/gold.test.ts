import { describe, expect, it } from "vitest";
import { expertsDisagree, resolveGold } from "./gold";

// Expected values worked out by hand from the rule in gold.ts.
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

describe("resolveGold with an adjudicator's decision", () => {
  it.each([
    // experts disagree: the decision wins, even against a majority and for "unsure"
    [["correct", "incorrect"], "incorrect", "incorrect"],
    [["correct", "correct", "incorrect"], "incorrect", "incorrect"],
    [["correct", "incorrect", "unsure"], "unsure", "unsure"],
    // experts agree (no correct-vs-incorrect split): the majority stands, the decision is ignored
    [["correct", "correct"], "incorrect", "correct"],
    [["correct", "unsure"], "incorrect", "correct"],
    [["unsure"], "correct", "unsure"],
    [[], "correct", null],
  ] as const)("%j + decision %s -> %s", (values, decision, expected) => {
    expect(resolveGold(values, decision)).toBe(expected);
  });

  it("calls a split between correct and incorrect a disagreement, and nothing else", () => {
    expect(expertsDisagree(["correct", "incorrect"])).toBe(true);
    expect(expertsDisagree(["correct", "unsure"])).toBe(false);
    expect(expertsDisagree(["incorrect", "incorrect"])).toBe(false);
    expect(expertsDisagree([])).toBe(false);
  });
});
