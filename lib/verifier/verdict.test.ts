import { describe, expect, it } from "vitest";
import { parseVerdict } from "./verdict";
import { extractFinalStep } from "./final-step";

describe("parseVerdict strict (the paper's template asks for exactly YES or NO)", () => {
  it.each([
    ["YES", "YES"],
    ["NO", "NO"],
    ["yes", "YES"],
    [" No \n", "NO"],
    ["**YES**", "YES"],
    ["'NO'", "NO"],
    ['"Yes."', "YES"],
    ["YES!", "YES"],
    ["<think>the reference is 42, the answer says 42</think>\nYES", "YES"],
    ["<think>a\nb</think> **NO**", "NO"],
  ])("%j -> %s", (reply, expected) => {
    expect(parseVerdict(reply).verdict).toBe(expected);
  });

  it.each([
    ["", "empty reply"],
    ["   ", "empty reply"],
    ["<think>still thinking", "reasoning block never closed"],
    ["<think>done</think>", "nothing after the reasoning block"],
    ["Yes, the candidate is correct.", 'reply is neither YES nor NO: "Yes, the candidate is correct."'],
    ["Maybe", 'reply is neither YES nor NO: "Maybe"'],
    ["YESNO", 'reply is neither YES nor NO: "YESNO"'],
  ])("%j is unparseable (%s)", (reply, reason) => {
    expect(parseVerdict(reply)).toEqual({ verdict: "UNPARSEABLE", reason });
  });

  it("treats null as an empty reply", () => {
    expect(parseVerdict(null).verdict).toBe("UNPARSEABLE");
  });
});

describe("parseVerdict leading (judges that explain after the verdict)", () => {
  it.each([
    ["Yes, the candidate is correct.", "YES"],
    ["No, the candidate is not correct. The answer is 20%.", "NO"],
    ["no.", "NO"],
    ["**Yes** because", "YES"],
    ["Nope", "UNPARSEABLE"],
    ["Yesterday it was", "UNPARSEABLE"],
    ["The candidate is partially correct.", "UNPARSEABLE"],
    ["I cannot determine if the candidate is correct", "UNPARSEABLE"],
  ])("%j -> %s", (reply, expected) => {
    expect(parseVerdict(reply, "leading").verdict).toBe(expected);
  });
});

describe("extractFinalStep (last non-empty line)", () => {
  it.each([
    ["one line", "one line"],
    ["step 1\nstep 2\nThe answer is 42.\n\n  \n", "The answer is 42."],
    ["a\r\nb\r\n", "b"],
    ["  padded  ", "padded"],
    ["", ""],
    ["\n\n", ""],
  ])("%j -> %j", (response, expected) => {
    expect(extractFinalStep(response)).toBe(expected);
  });
});
