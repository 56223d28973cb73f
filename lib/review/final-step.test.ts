import { describe, expect, it } from "vitest";
import { extractFinalStep } from "@/lib/verifier/final-step";
import { splitFinalStep } from "./final-step";

describe("splitFinalStep", () => {
  it.each([
    ["Step 1\nThe answer is 42.", { before: "Step 1\n", final: "The answer is 42.", after: "" }],
    // the last occurrence is the final line, even when the same text appears earlier
    ["42\nso: 42\n42\n\n", { before: "42\nso: 42\n", final: "42", after: "\n\n" }],
    // trailing spaces are outside the (trimmed) final step
    ["a\n  b  ", { before: "a\n  ", final: "b", after: "  " }],
    ["", { before: "", final: "", after: "" }],
  ])("%j", (text, expected) => {
    expect(splitFinalStep(text, extractFinalStep(text))).toEqual(expected);
  });

  it("keeps everything when the stored final step is not in the text", () => {
    expect(splitFinalStep("abc", "zzz")).toEqual({ before: "abc", final: "", after: "" });
  });
});
