// The verifier prompt a distillation set is made with. One function, so that a per-judge
// template (versioned templates per judge) can be plugged in here without touching the export:
// today every judge uses the paper's template, byte for byte.
import { createHash } from "node:crypto";
import { DEFAULT_SYSTEM_MESSAGE, PAPER_TEMPLATE, PAPER_TEMPLATE_VERSION } from "@/lib/verifier/template";

export type TPromptSpec = {
  template: string;
  templateVersion: string;
  /** sha256 of the template text, so a manifest pins the exact prompt */
  templateSha256: string;
  systemMessage: string | null;
  finalStepOnly: boolean;
};

export function distillationPrompt(judge: { settings: unknown }, options: { systemMessage: boolean }): TPromptSpec {
  const settings = (judge.settings ?? {}) as { systemMessage?: unknown; finalStepOnly?: unknown };
  const system = typeof settings.systemMessage === "string" && settings.systemMessage ? settings.systemMessage : DEFAULT_SYSTEM_MESSAGE;
  return {
    template: PAPER_TEMPLATE,
    templateVersion: PAPER_TEMPLATE_VERSION,
    templateSha256: createHash("sha256").update(PAPER_TEMPLATE).digest("hex"),
    systemMessage: options.systemMessage ? system : null,
    finalStepOnly: settings.finalStepOnly !== false,
  };
}

/**
 * The template cut at its placeholders: text, then a placeholder's name, then text... Filling the
 * names with values and joining is fillTemplate's single-pass replace: a value is never scanned
 * for placeholders itself.
 */
export function templatePieces(template: string): { text: string; value?: "question" | "response" | "reference" }[] {
  const pieces: { text: string; value?: "question" | "response" | "reference" }[] = [];
  let at = 0;
  for (const match of template.matchAll(/\{(question|response|reference)\}/g)) {
    pieces.push({ text: template.slice(at, match.index) }, { text: "", value: match[1] as "question" | "response" | "reference" });
    at = match.index + match[0].length;
  }
  pieces.push({ text: template.slice(at) });
  return pieces;
}
