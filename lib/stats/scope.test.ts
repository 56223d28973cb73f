// Where an analytics link without a dataset (or with one that is gone) is sent: the dataset set
// or dropped, every other parameter of the link kept.
import { describe, expect, it } from "vitest";
import { withDataset } from "./scope";

describe("analytics links", () => {
  it("keep their other parameters when the dataset is filled in", () => {
    expect(withDataset("/analytics/rewards", { reward: "soft", batch: "8", judge: "3" }, 5)).toBe("/analytics/rewards?dataset=5&reward=soft&batch=8&judge=3");
    expect(withDataset("/analytics/agreement", { dataset: "99", a: "1", b: ["2", "4"] }, 7)).toBe("/analytics/agreement?dataset=7&a=1&b=2&b=4");
    expect(withDataset("/analytics", { q: "a&b=c" }, 1)).toBe("/analytics?dataset=1&q=a%26b%3Dc");
  });

  it("drop only the dataset when it is gone", () => {
    expect(withDataset("/analytics/rewards", { dataset: "99", reward: "soft" }, null)).toBe("/analytics/rewards?reward=soft");
    expect(withDataset("/analytics", { dataset: "99" }, null)).toBe("/analytics");
  });
});
