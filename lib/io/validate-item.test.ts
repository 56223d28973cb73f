// Pure checks of the row validator: label forms, code-point length (as Postgres' length() counts:
// "😀" is one character, U+1F600 written as a surrogate pair in JavaScript).
import { describe, expect, it } from "vitest";
import { codePoints, parseLabel, validateItem } from "./validate-item";

describe("codePoints", () => {
  it.each([
    ["", 0],
    ["abc", 3],
    ["é", 1],
    ["😀", 1],
    ["a😀b😀", 4],
    ["\uD800", 1], // a lone surrogate counts as one
  ])("%j has %i", (s, n) => {
    expect(codePoints(s)).toBe(n);
    expect(codePoints(s)).toBe([...s].length);
  });
});

describe("parseLabel", () => {
  it.each([
    [true, "correct"], [false, "incorrect"], [1, "correct"], [0, "incorrect"], ["Yes", "correct"], [" no ", "incorrect"],
    ["unsure", "unsure"], [null, null], ["", null], [undefined, null], ["maybe", undefined], [{}, undefined],
  ])("%j -> %j", (value, label) => {
    expect(parseLabel(value)).toBe(label);
  });
});

describe("validateItem", () => {
  it("rejects wrong types by field and keeps an empty response as a response", () => {
    expect(validateItem({ line: 1, question: { a: 1 }, reference: "r" })).toEqual({ line: 1, field: "question", reason: "question must be text" });
    expect(validateItem({ line: 2, question: "q", reference: ["a"] })).toEqual({ line: 2, field: "reference", reason: "reference must be text" });
    expect(validateItem({ line: 3, question: "q", reference: "r", response: "x", p_yes: 2, verdict: "YES", judge: "j" } as never)).toMatchObject({ response: { text: "x" } });
    expect(validateItem({ line: 4, question: "q", reference: "r", response: "x", pYes: 2, verdict: "YES", judge: "j" })).toEqual({ line: 4, field: "p_yes", reason: "must be a probability between 0 and 1" });
    expect(validateItem({ line: 5, question: "q", reference: "r", response: "" })).toMatchObject({ response: { text: "", textLength: 0 } });
    expect(validateItem({ line: 6, question: "q", reference: "r", response: "x", verdict: "YES" })).toEqual({ line: 6, field: "judge", reason: "a verdict needs a judge name (map a judge column or name the judge)" });
  });

  it("rejects a NUL character in any field or metadata, named as the mapping names it", () => {
    const nul = "holds a NUL character (U+0000), which the database cannot store";
    expect(validateItem({ line: 1, question: "q", reference: "r", response: "x", policyModel: "m\u0000" })).toEqual({ line: 1, field: "policy_model", reason: nul });
    expect(validateItem({ line: 2, question: "q", reference: "r", responseExternalId: "\u0000" })).toEqual({ line: 2, field: "response_id", reason: nul });
    expect(validateItem({ line: 3, question: "q", reference: "r", questionMetadata: { source: { list: ["ok", "\u0000"] } } })).toEqual({ line: 3, field: "source", reason: nul });
    expect(validateItem({ line: 4, question: "q", reference: "r", responseMetadata: { "k\u0000": 1 } })).toEqual({ line: 4, field: "k\uFFFD", reason: nul });
    expect(validateItem({ line: 5, question: "q", reference: "r", response: "fine \u00e9" })).toMatchObject({ response: { text: "fine \u00e9" } });
  });

  it("keeps the reason of an unparseable verdict from the judge's reply when the file says UNPARSEABLE (a flat export)", () => {
    const row = { line: 1, question: "q", reference: "r", response: "x", judge: "j", verdict: "UNPARSEABLE", rawOutput: "Candidate is partially correct" };
    expect(validateItem(row)).toMatchObject({ judgment: { verdict: "UNPARSEABLE", error: 'reply is neither YES nor NO: "Candidate is partially correct"', rawOutput: "Candidate is partially correct" } });
    // without the reply, the word's own
    expect(validateItem({ ...row, rawOutput: undefined })).toMatchObject({ judgment: { verdict: "UNPARSEABLE", error: 'reply is neither YES nor NO: "UNPARSEABLE"' } });
  });
});
