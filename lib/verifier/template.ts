// The verifier prompt. The default is the paper's template (Su et al. 2025, Appendix A.1,
// Table 4; the same text ships in alibaba/ROLL as the RM-7B prompt), byte for byte: RM-7B was
// trained on exactly this text. It goes to the judge as one user message.
import { createHash } from "node:crypto";
import { extractFinalStep } from "./final-step";

export const PAPER_TEMPLATE_VERSION = "paper-v1";

export const PAPER_TEMPLATE = `Given a problem, determine whether the final answer in the provided (incomplete) solution process matches the reference answer.
The reference answer may be one single option character (e.g., A, B, C, D), a numerical value, an expression, or a list of answers if multiple questions are involved.
**The reference answer may be in Chinese or another language, but your evaluation should be language-agnostic.**
Your task:
- Compare the final output of the solution process with the reference answer.
- If they **match exactly**, output **YES**.
- If they **do not match**, output **NO**.
- If the solution process is unclear, incomplete, or ambiguous, assume it is incorrect and output **NO**.
Your output must be strictly **'YES'** or **'NO'**, with no additional words, punctuation, or explanation.
---
**Question:** {question}
**Solution Process (Final Step Only):** {response}
**Reference Answer:** {reference}
**Output:**`;

/** The optional system message of the paper's setup (a per-judge setting). */
export const DEFAULT_SYSTEM_MESSAGE = "You are a helpful assistant.";

export type TFillInput = { question: string; response: string; reference: string };

/**
 * Fills {question}, {response} and {reference}. Replacement is done in one pass, so a response
 * that itself contains "{reference}" is sent as written, never expanded.
 * `finalStepOnly` (the default, as in the paper) sends the response's last non-empty line.
 */
export function fillTemplate(template: string, input: TFillInput, options: { finalStepOnly?: boolean } = {}): string {
  const response = options.finalStepOnly === false ? input.response : extractFinalStep(input.response);
  const values: Record<string, string> = { question: input.question, response, reference: input.reference };
  return template.replace(/\{(question|response|reference)\}/g, (_, name: string) => values[name]!);
}

/** sha256 of the exact prompt sent, stored with each judgment. */
export function promptHash(messages: { role: string; content: string }[]): string {
  return createHash("sha256").update(JSON.stringify(messages)).digest("hex");
}
