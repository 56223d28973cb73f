// The verifier prompt a distillation set is made with. One function, so that a per-judge
// template (versioned templates per judge) can be plugged in here without touching the export:
// today every judge uses the paper's template, byte for byte.
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
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
 * SQL for fillTemplate(template, values): the template's text split at its placeholders and
 * concatenated with the values' columns. Like fillTemplate's single-pass replace, a value is
 * never scanned for placeholders itself. (The final step is the responses.final_step column,
 * which the importer stores as extractFinalStep of the text.)
 */
export function fillTemplateSql(template: string, values: Record<"question" | "response" | "reference", Prisma.Sql>): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  let at = 0;
  for (const match of template.matchAll(/\{(question|response|reference)\}/g)) {
    if (match.index > at) parts.push(Prisma.sql`${template.slice(at, match.index)}::text`);
    parts.push(values[match[1] as keyof typeof values]);
    at = match.index + match[0].length;
  }
  if (at < template.length || parts.length === 0) parts.push(Prisma.sql`${template.slice(at)}::text`);
  return Prisma.sql`(${Prisma.join(parts, " || ")})`;
}
