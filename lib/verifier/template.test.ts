import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fillTemplate, PAPER_TEMPLATE } from "./template";

describe("the paper's verifier template", () => {
  it("is the text of the paper's Table 4, byte for byte", () => {
    // Length and sha256 of the fenced block of the product design document that quotes
    // Appendix A.1, Table 4 (its two-space indent removed, no trailing newline), computed with
    // Python's hashlib from that document; a changed byte anywhere changes both.
    expect(PAPER_TEMPLATE.length).toBe(923);
    expect(createHash("sha256").update(PAPER_TEMPLATE).digest("hex")).toBe(
      "2d6e8635dd5506c00a60218e5d15c055ccdaf82631cb898f47b873909b471589",
    );
    expect(PAPER_TEMPLATE.startsWith("Given a problem, determine whether the final answer")).toBe(true);
    expect(PAPER_TEMPLATE.endsWith("**Reference Answer:** {reference}\n**Output:**")).toBe(true);
  });

  it("fills the final step by default and the whole response on request", () => {
    const input = { question: "2+2?", response: "Let me think.\n\nThe answer is 4.\n", reference: "4" };
    const filled = fillTemplate(PAPER_TEMPLATE, input);
    expect(filled).toContain("**Question:** 2+2?\n**Solution Process (Final Step Only):** The answer is 4.\n**Reference Answer:** 4\n**Output:**");
    expect(fillTemplate("{response}", input, { finalStepOnly: false })).toBe(input.response);
  });

  it("never expands placeholders found inside the inserted text", () => {
    expect(fillTemplate("{question}|{reference}", { question: "say {reference}", response: "", reference: "R" })).toBe("say {reference}|R");
  });
});
