// Verifier prompt templates as immutable versions (table judge_templates). The paper's template
// ships as "paper-v1" (byte for byte, lib/verifier/template.ts) and, with the paper setup's
// optional system message, as "paper-system-v1". Editing makes a new version "<name>-v<n+1>";
// judgments keep the version they were made with.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { DEFAULT_SYSTEM_MESSAGE, fillTemplate, PAPER_TEMPLATE, PAPER_TEMPLATE_VERSION, promptHash, type TFillInput } from "@/lib/verifier/template";

type Db = PrismaClient | Prisma.TransactionClient;

export type TTemplate = { version: string; name: string; body: string; systemMessage: string | null; finalStepOnly: boolean };

export const BUILTIN_TEMPLATES: TTemplate[] = [
  { version: PAPER_TEMPLATE_VERSION, name: "paper", body: PAPER_TEMPLATE, systemMessage: null, finalStepOnly: true },
  { version: "paper-system-v1", name: "paper-system", body: PAPER_TEMPLATE, systemMessage: DEFAULT_SYSTEM_MESSAGE, finalStepOnly: true },
];

/** Creates the built-in versions where missing (start-up, judge creation). Never rewrites one. */
export async function ensureBuiltinTemplates(prisma: Db) {
  for (const t of BUILTIN_TEMPLATES) {
    await prisma.judgeTemplate.upsert({
      where: { version: t.version },
      create: { ...t, note: "The paper's verifier template (Su et al. 2025, Appendix A.1, Table 4), byte for byte." },
      update: {},
    });
  }
}

export const ZNewTemplateVersion = z.object({
  name: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "a short name of lower-case letters, digits and dashes, e.g. strict-math"),
  body: z
    .string()
    .min(1)
    .max(20_000)
    .refine((b) => b.includes("{response}") && b.includes("{reference}"), "the template must contain {response} and {reference} (and usually {question})"),
  systemMessage: z.string().max(4_000).nullable(),
  finalStepOnly: z.boolean(),
  basedOn: z.string().max(100).nullable(),
  note: z.string().max(500).default(""),
});
export type TNewTemplateVersion = z.input<typeof ZNewTemplateVersion>;

/** Saves a new version of the template lineage `name`: "<name>-v<n+1>". */
export async function createTemplateVersion(prisma: PrismaClient, input: TNewTemplateVersion, userId: string | null): Promise<TTemplate> {
  const data = ZNewTemplateVersion.parse(input);
  for (let attempt = 0; attempt < 3; attempt++) {
    const versions = await prisma.judgeTemplate.findMany({ where: { name: data.name }, select: { version: true } });
    const n = Math.max(0, ...versions.map((v) => Number(/-v(\d+)$/.exec(v.version)?.[1] ?? 0))) + 1;
    const version = `${data.name}-v${n}`;
    try {
      const created = await prisma.judgeTemplate.create({
        data: { version, name: data.name, body: data.body, systemMessage: data.systemMessage || null, finalStepOnly: data.finalStepOnly, basedOn: data.basedOn, note: data.note, createdById: userId },
        select: { version: true, name: true, body: true, systemMessage: true, finalStepOnly: true },
      });
      return created;
    } catch (error) {
      // Two editors saved the same lineage at once: the primary key refused the second; count again.
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new AppError("CONFLICT", "Could not save the template version; try again.");
}

export async function getTemplate(prisma: Db, version: string): Promise<TTemplate> {
  const t = await prisma.judgeTemplate.findUnique({ where: { version }, select: { version: true, name: true, body: true, systemMessage: true, finalStepOnly: true } });
  if (!t) throw new AppError("NOT_FOUND", `template version "${version}" does not exist`);
  return t;
}

export type TChatMessage = { role: "system" | "user"; content: string };
export type TPrompt = { messages: TChatMessage[]; prompt: string; hash: string };

/**
 * What is sent for one item: the filled template as one user message (after the optional
 * system message) for the chat API, and the same text as a raw prompt for the completions API.
 * The hash names the exact messages (lib/verifier/template.ts promptHash).
 */
export function buildPrompt(template: TTemplate, item: TFillInput, api: "chat" | "completions"): TPrompt {
  const filled = fillTemplate(template.body, item, { finalStepOnly: template.finalStepOnly });
  const messages: TChatMessage[] = template.systemMessage ? [{ role: "system", content: template.systemMessage }, { role: "user", content: filled }] : [{ role: "user", content: filled }];
  const prompt = template.systemMessage ? `${template.systemMessage}\n\n${filled}` : filled;
  return { messages, prompt, hash: api === "chat" ? promptHash(messages) : promptHash([{ role: "prompt", content: prompt }]) };
}
