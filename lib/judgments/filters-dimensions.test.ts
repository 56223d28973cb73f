// The subject, policy-model and response-length filters of the judgments list in the URL.
import { describe, expect, it } from "vitest";
import { judgmentFiltersToParams, parseJudgmentFilters } from "./filters";

describe("dimension filters", () => {
  it("read subject, policy model and length bucket, and write them back", () => {
    const parsed = parseJudgmentFilters({ dataset: "2", subject: "veterinary medicine", model: "qwen-step100", len: "500-1000" });
    expect(parsed.success && parsed.data).toMatchObject({ subject: "veterinary medicine", model: "qwen-step100", len: "500-1000" });
    const params = judgmentFiltersToParams(parsed.success ? parsed.data : { dataset: 2 });
    expect(params.toString()).toBe("dataset=2&subject=veterinary+medicine&model=qwen-step100&len=500-1000");
  });

  it("treat empty values as no filter and refuse unknown length buckets", () => {
    const parsed = parseJudgmentFilters({ dataset: "2", subject: "", model: "", len: "" });
    expect(parsed.success && parsed.data).toEqual({ dataset: 2, verdict: [] });
    const bad = parseJudgmentFilters({ dataset: "2", len: "10-20" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/length buckets are 0-200, 200-500/);
  });
});
