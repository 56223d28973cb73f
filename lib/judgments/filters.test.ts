// The judgments filters as URL parameters: parsing, rejecting, and writing them back so that a
// shared link reproduces the same view.
import { describe, expect, it } from "vitest";
import { filterQueryOf, judgmentFiltersToParams, parseJudgmentFilters, unknownFilterParams, type TJudgmentFilters } from "./filters";

/** URLSearchParams -> the record Next gives a page (repeated keys become arrays). */
function toRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

function parsed(params: Record<string, string | string[] | undefined>): TJudgmentFilters {
  const result = parseJudgmentFilters(params);
  if (!result.success) throw new Error(`expected a valid filter: ${result.error.message}`);
  return result.data;
}

const rejects = (params: Record<string, string | string[] | undefined>) => expect(parseJudgmentFilters(params).success).toBe(false);

describe("parseJudgmentFilters", () => {
  it("reads the minimal filter: a dataset", () => {
    expect(parsed({ dataset: "7" })).toEqual({ dataset: 7, verdict: [] });
  });

  it("reads every filter kind", () => {
    expect(
      parsed({
        dataset: "3",
        verdict: ["12:YES", "4:NONE", "5:UNPARSEABLE", "6:NO"],
        disagree: "12:expert",
        label: "none",
        q: "  washington  ",
        after: "1234",
      }),
    ).toEqual({
      dataset: 3,
      verdict: [
        { judgeId: 12, verdict: "YES" },
        { judgeId: 4, verdict: "NONE" },
        { judgeId: 5, verdict: "UNPARSEABLE" },
        { judgeId: 6, verdict: "NO" },
      ],
      disagree: [{ kind: "judge", judgeId: 12 }, { kind: "expert" }],
      label: "none",
      q: "washington",
      after: 1234,
    });
  });

  it("reads both orders and judge:judge disagreements", () => {
    expect(parsed({ dataset: "1", disagree: "expert:9" }).disagree).toEqual([{ kind: "expert" }, { kind: "judge", judgeId: 9 }]);
    expect(parsed({ dataset: "1", disagree: "2:9" }).disagree).toEqual([
      { kind: "judge", judgeId: 2 },
      { kind: "judge", judgeId: 9 },
    ]);
  });

  it("takes the first of repeated single-valued parameters and drops empty ones", () => {
    expect(parsed({ dataset: ["2", "5"], label: ["correct", "incorrect"], q: "", verdict: ["", "1:NO"] })).toEqual({
      dataset: 2,
      label: "correct",
      verdict: [{ judgeId: 1, verdict: "NO" }],
    });
    // a q of only spaces is no search
    expect(parsed({ dataset: "2", q: "   " }).q).toBeUndefined();
  });

  it.each([
    ["no dataset", {}],
    ["empty dataset", { dataset: "" }],
    ["non-numeric dataset", { dataset: "abc" }],
    ["fractional dataset", { dataset: "1.5" }],
    ["zero dataset", { dataset: "0" }],
    ["negative dataset", { dataset: "-3" }],
    ["verdict without judge", { dataset: "1", verdict: "YES" }],
    ["verdict in lower case", { dataset: "1", verdict: "1:yes" }],
    ["unknown verdict", { dataset: "1", verdict: "1:MAYBE" }],
    ["verdict with a judge name", { dataset: "1", verdict: "gpt:YES" }],
    ["one bad verdict among good ones", { dataset: "1", verdict: ["1:YES", "2:"] }],
    ["expert:expert disagreement", { dataset: "1", disagree: "expert:expert" }],
    ["a judge with itself", { dataset: "1", disagree: "4:4" }],
    ["disagreement with one rater", { dataset: "1", disagree: "4" }],
    ["disagreement with three raters", { dataset: "1", disagree: "1:2:3" }],
    ["unknown label", { dataset: "1", label: "maybe" }],
    ["q over 200 characters", { dataset: "1", q: "x".repeat(201) }],
    ["non-numeric cursor", { dataset: "1", after: "abc" }],
    ["zero cursor", { dataset: "1", after: "0" }],
    ["a page both after and before", { dataset: "1", after: "3", before: "9" }],
    ["a band beyond 1", { dataset: "1", reward: "3:0.5-1.5" }],
    ["a band upside down", { dataset: "1", reward: "3:0.5-0.4" }],
    ["an empty band", { dataset: "1", reward: "3:0.5-0.5" }],
    ["a band of no judge", { dataset: "1", reward: "0:0-1" }],
    ["a band without a judge", { dataset: "1", reward: "0.2-0.3" }],
  ])("rejects %s", (_, params) => {
    rejects(params);
  });
});

describe("judgmentFiltersToParams", () => {
  it("writes parameters in a stable form", () => {
    const params = judgmentFiltersToParams({
      dataset: 3,
      verdict: [
        { judgeId: 12, verdict: "YES" },
        { judgeId: 4, verdict: "NONE" },
      ],
      disagree: [{ kind: "expert" }, { kind: "judge", judgeId: 12 }],
      label: "unsure",
      q: "50% off_",
      after: 99,
    });
    expect(params.toString()).toBe("dataset=3&verdict=12%3AYES&verdict=4%3ANONE&disagree=expert%3A12&label=unsure&q=50%25+off_&after=99");
  });

  it("leaves out what is not set", () => {
    expect(judgmentFiltersToParams({ dataset: 1, verdict: [] }).toString()).toBe("dataset=1");
    expect(judgmentFiltersToParams({}).toString()).toBe("");
  });

  it.each<[string, Record<string, string | string[]>]>([
    ["dataset only", { dataset: "1" }],
    ["verdicts", { dataset: "1", verdict: ["3:YES", "3:NO", "8:NONE", "9:UNPARSEABLE", "9:FAILED"] }],
    ["judge:expert", { dataset: "2", disagree: "3:expert" }],
    ["expert:judge", { dataset: "2", disagree: "expert:3" }],
    ["judge:judge", { dataset: "2", disagree: "3:4" }],
    ["label none", { dataset: "2", label: "none" }],
    ["label decided", { dataset: "2", label: "decided" }],
    ["label disputed", { dataset: "2", label: "disputed" }],
    ["a soft-reward band", { dataset: "2", reward: "3:0.4-0.5" }],
    ["the last band, closed at 1", { dataset: "2", reward: "3:0.9-1" }],
    ["a previous page", { dataset: "2", before: "77" }],
    ["search with specials", { dataset: "2", q: "a&b=c %_ ü" }],
    ["everything", { dataset: "5", verdict: ["1:YES", "2:NONE"], disagree: "1:2", label: "correct", q: "x", after: "40" }],
  ])("round trips %s", (_, params) => {
    const filters = parsed(params);
    // filters -> URL -> the record a page receives -> filters: the same filters
    const url = judgmentFiltersToParams(filters);
    const again = parsed(toRecord(new URLSearchParams(url.toString())));
    expect(again).toEqual(filters);
    // and the URL is the one written from the original parameters
    expect(toRecord(url)).toEqual(params);
  });
});

describe("a filter given to select work", () => {
  it("names the parameters the list does not know, and takes the page's own", () => {
    expect(unknownFilterParams(new URLSearchParams("verdikt=4:YES&lable=correct&label=x"))).toBe(
      'unknown filter "verdikt", "lable": filters are dataset, verdict, disagree, label, subject, model, reward, len, q',
    );
    expect(unknownFilterParams(new URLSearchParams("dataset=1&verdict=4:YES&after=3&item=9&open=first&q=x"))).toBeNull();
  });

  it("is taken from a list URL without what is not a filter", () => {
    expect(filterQueryOf({ dataset: "1", verdict: ["2:YES", "3:NO"], after: "5", item: "7", utm_source: "mail" })).toBe("dataset=1&verdict=2%3AYES&verdict=3%3ANO");
  });
});
