// Where the final step (what the judge saw: the response's last non-empty line) sits in the
// response, so the review screen can highlight it in place.

/** Splits the response at the last occurrence of its final step; all "before" when it is not found. */
export function splitFinalStep(text: string, finalStep: string): { before: string; final: string; after: string } {
  const at = finalStep ? text.lastIndexOf(finalStep) : -1;
  if (at < 0) return { before: text, final: "", after: "" };
  return { before: text.slice(0, at), final: finalStep, after: text.slice(at + finalStep.length) };
}
