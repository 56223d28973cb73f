import { describe, expect, it } from "vitest";
import {
  answerLetter,
  contains,
  DEFAULT_RULE_SETTINGS,
  jaccard,
  lastNumber,
  normalizeAnswer,
  parseReferenceLetter,
  parseReferenceNumber,
  ruleJudge,
  answerTokens,
  type TRule,
} from "./rule-judges";

const judge = (rule: TRule, response: string, reference: string, extra: Partial<typeof DEFAULT_RULE_SETTINGS> = {}) =>
  ruleJudge({ ...DEFAULT_RULE_SETTINGS, ...extra, rule }, { response, reference });

describe("normalisation (SQuAD-style)", () => {
  it.each([
    ["The Eiffel Tower!", "eiffel tower"],
    ["  an  Apple, a day ", "apple day"],
    ["U.S.A.", "usa"],
    ["Ｆｕｌｌ-width", "fullwidth"],
    ["Landover, Maryland", "landover maryland"],
  ])("%j -> %j", (text, expected) => {
    expect(normalizeAnswer(text)).toBe(expected);
  });
  it("splits CJK text into characters", () => {
    expect(answerTokens("北京 city")).toEqual(["北", "京", "city"]);
  });
});

describe("containment (the paper's binary baseline)", () => {
  it.each([
    ["The answer is Landover, Maryland.", "Landover, Maryland", true],
    ["It is in landover maryland", "Landover, Maryland", true],
    ["The answer is 14.", "4", false], // whole words only
    ["The answer is 4.", "4", true],
    ["首都是北京。", "北京", true],
    ["Paris", "", false],
  ])("%j contains %j: %s", (answer, reference, expected) => {
    expect(contains(answer, reference)).toBe(expected);
  });

  it("uses the final step and any alternative of the reference", () => {
    expect(judge("containment", "Let me think about FedExField.\nThe answer is Landover.", "FedExField | Landover")).toMatchObject({ verdict: "YES", softReward: 1 });
    expect(judge("containment", "It is FedExField.\nI am not sure.", "FedExField | Landover")).toMatchObject({ verdict: "NO", softReward: 0 });
    expect(judge("containment", "It is FedExField.\nI am not sure.", "FedExField", { finalStepOnly: false }).verdict).toBe("YES");
  });
});

describe("Jaccard (the paper's soft baseline)", () => {
  it("is |A ∩ B| / |A ∪ B|: {paris, france} vs {paris} = 1/2", () => {
    expect(jaccard(["paris", "france"], ["paris"])).toBe(0.5);
    expect(jaccard(["a", "b", "c"], ["b", "c", "d"])).toBe(2 / 4);
    expect(jaccard([], [])).toBe(0);
  });
  it("gives the best alternative's similarity and YES at or above the threshold", () => {
    // "the capital is paris" -> {capital, is, paris}; "Paris" -> {paris}: 1/3; "capital Paris": 2/3
    expect(judge("jaccard", "The capital is Paris", "Paris | capital Paris").softReward).toBeCloseTo(2 / 3, 12);
    expect(judge("jaccard", "The capital is Paris", "Paris").verdict).toBe("NO");
    expect(judge("jaccard", "Paris France", "Paris", { threshold: 0.5 }).verdict).toBe("YES");
  });
});

describe("numeric equivalence", () => {
  it.each([
    ["42", 42, false],
    ["-3.5", -3.5, false],
    ["1,000", 1000, false],
    ["50%", 50, true],
    ["3/4", 0.75, false],
    ["\\frac{3}{4}", 0.75, false],
    ["$12", 12, false],
    ["1e-3", 0.001, false],
  ])("reference %j -> %s", (text, value, percent) => {
    expect(parseReferenceNumber(text)).toEqual({ value, percent });
  });
  it.each(["forty-two", "A", "3 apples and 4 pears", ""])("reference %j is not a number", (text) => {
    expect(parseReferenceNumber(text)).toBeNull();
  });
  it.each([
    ["So the total is 1,250 dollars.", 1250],
    ["x = 3, so 2x = 6", 6],
    ["The probability is 3/8", 0.375],
    ["about -0.5", -0.5],
  ])("last number of %j is %s", (text, value) => {
    expect(lastNumber(text)?.value).toBeCloseTo(value, 12);
  });

  it.each([
    ["The answer is 42.", "42", "YES"],
    ["The answer is 42.0000001.", "42", "YES"], // relative tolerance 1e-6
    ["The answer is 42.1.", "42", "NO"],
    ["The answer is 0.5", "50%", "YES"], // one side a percentage
    ["The answer is 50%", "50%", "YES"],
    ["I don't know", "42", "NO"],
    ["The answer is 42", "forty-two", "UNPARSEABLE"],
  ])("%j vs %j -> %s", (response, reference, verdict) => {
    expect(judge("numeric", response, reference).verdict).toBe(verdict);
  });
  it("honours a looser tolerance", () => {
    expect(judge("numeric", "3.14", "3.14159", { relativeTolerance: 1e-3 }).verdict).toBe("YES");
  });
  it("says why it cannot judge", () => {
    expect(judge("numeric", "42", "forty-two").reason).toBe('the reference is not a number: "forty-two"');
  });
});

describe("multiple-choice letter", () => {
  it.each([
    ["B", "B"],
    ["(B)", "B"],
    ["B.", "B"],
    ["B) Paris", "B"],
    ["b", "B"],
  ])("reference %j -> %s", (text, letter) => {
    expect(parseReferenceLetter(text)).toBe(letter);
  });
  it.each(["Paris", "Because", "42"])("reference %j is not a letter", (text) => {
    expect(parseReferenceLetter(text)).toBeNull();
  });
  it.each([
    ["The answer is (C).", "C"],
    ["Answer: D", "D"],
    ["**C**", "C"],
    ["C", "C"],
    ["(A) Paris", "A"],
    ["A. Paris", "A"],
    ["Between (A) and (B), I pick (B)", "B"],
    ["I think so", null],
  ])("answer %j picks %s", (text, letter) => {
    expect(answerLetter(text)).toBe(letter);
  });
  it.each([
    ["The answer is (C).", "C", "YES"],
    ["The answer is (C).", "B", "NO"],
    ["No idea", "B", "NO"],
    ["C", "Paris", "UNPARSEABLE"],
  ])("%j vs %j -> %s", (response, reference, verdict) => {
    expect(judge("choice", response, reference).verdict).toBe(verdict);
  });
});
