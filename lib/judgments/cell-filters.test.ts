import { describe, expect, it } from "vitest";
import { cellFilters } from "./cell-filters";
import { judgmentFiltersToParams } from "./filters";

const judgeA = { kind: "judge" as const, id: 3, templateVersion: "", name: "72B" };
const judgeB = { kind: "judge" as const, id: 5, templateVersion: "v2", name: "7B" };
const experts = { kind: "expert" as const, name: "Experts" };

describe("confusion-cell filters", () => {
  it("select both judges' verdicts", () => {
    expect(judgmentFiltersToParams(cellFilters(1, judgeA, judgeB, true, false)).toString()).toBe("dataset=1&verdict=3%3AYES&verdict=5%3ANO");
  });

  it("select the gold label for the experts, and keep a breakdown's scope", () => {
    const f = cellFilters(1, judgeA, experts, false, true, { subject: "medicine", len: "0-200" });
    expect(judgmentFiltersToParams(f).toString()).toBe("dataset=1&verdict=3%3ANO&label=correct&subject=medicine&len=0-200");
  });
});
