// Creating and changing judges (admins). An endpoint judge points at a template version; a rule
// judge's "template version" names its rule and settings (rule + hash), so changing a rule's
// settings starts a new series of judgments and the old ones keep theirs.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { PAPER_TEMPLATE_VERSION } from "@/lib/verifier/template";
import { storeApiKey } from "./secrets";
import { ruleTemplateVersion, ZEndpointSettings, ZRuleSettings } from "./settings";
import { ensureBuiltinTemplates } from "./templates";

const common = {
  name: z.string().trim().min(1, "name the judge").max(80),
  sizeLabel: z.string().trim().max(20).default(""),
  description: z.string().trim().max(500).default(""),
};

/** What to do with the stored API key: keep it, replace it, or remove it. */
export const ZApiKeyChange = z.discriminatedUnion("action", [
  z.object({ action: z.literal("keep") }),
  z.object({ action: z.literal("set"), value: z.string().min(1, "paste the key").max(4000) }),
  z.object({ action: z.literal("clear") }),
]);

export const ZJudgeInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("openai_compatible"),
    ...common,
    settings: ZEndpointSettings,
    templateVersion: z.string().min(1).max(100).default(PAPER_TEMPLATE_VERSION),
    apiKey: ZApiKeyChange.default({ action: "keep" }),
  }),
  z.object({ kind: z.literal("rule_based"), ...common, settings: ZRuleSettings }),
]);
export type TJudgeInput = z.input<typeof ZJudgeInput>;

function uniqueName(error: unknown, name: string): never {
  if ((error as { code?: string }).code === "P2002") throw new AppError("CONFLICT", `A judge named "${name}" already exists.`);
  throw error;
}

async function checkTemplate(tx: Prisma.TransactionClient, version: string) {
  if (!(await tx.judgeTemplate.findUnique({ where: { version }, select: { version: true } }))) {
    throw new AppError("INVALID", `template version "${version}" does not exist`);
  }
}

export async function createJudge(prisma: PrismaClient, input: TJudgeInput, userId: string | null) {
  const data = ZJudgeInput.parse(input);
  await ensureBuiltinTemplates(prisma);
  try {
    return await prisma.$transaction(async (tx) => {
      const templateVersion = data.kind === "rule_based" ? ruleTemplateVersion(data.settings) : data.templateVersion;
      if (data.kind === "openai_compatible") await checkTemplate(tx, templateVersion);
      const judge = await tx.judge.create({
        data: { name: data.name, kind: data.kind, sizeLabel: data.sizeLabel, description: data.description, settings: data.settings as Prisma.InputJsonObject, templateVersion },
        select: { id: true, name: true },
      });
      if (data.kind === "openai_compatible" && data.apiKey.action === "set") await storeApiKey(tx, judge.id, data.apiKey.value);
      await recordAudit(tx, { actorId: userId, action: "judge.create", entity: "judge", entityId: judge.id, data: { name: data.name, kind: data.kind } });
      return judge;
    });
  } catch (error) {
    uniqueName(error, data.name);
  }
}

export async function updateJudge(prisma: PrismaClient, judgeId: number, input: TJudgeInput, userId: string | null) {
  const data = ZJudgeInput.parse(input);
  const current = await prisma.judge.findUnique({ where: { id: judgeId }, select: { kind: true } });
  if (!current) throw new AppError("NOT_FOUND", `judge ${judgeId} does not exist`);
  if (current.kind !== data.kind) throw new AppError("INVALID", "a judge's kind cannot change; create another judge");
  try {
    return await prisma.$transaction(async (tx) => {
      const templateVersion = data.kind === "rule_based" ? ruleTemplateVersion(data.settings) : data.templateVersion;
      if (data.kind === "openai_compatible") await checkTemplate(tx, templateVersion);
      const judge = await tx.judge.update({
        where: { id: judgeId },
        data: { name: data.name, sizeLabel: data.sizeLabel, description: data.description, settings: data.settings as Prisma.InputJsonObject, templateVersion },
        select: { id: true, name: true, templateVersion: true },
      });
      if (data.kind === "openai_compatible" && data.apiKey.action !== "keep") await storeApiKey(tx, judgeId, data.apiKey.action === "set" ? data.apiKey.value : null);
      await recordAudit(tx, {
        actorId: userId,
        action: "judge.update",
        entity: "judge",
        entityId: judgeId,
        // Which fields, never the key itself.
        data: { name: data.name, templateVersion, apiKey: data.kind === "openai_compatible" ? data.apiKey.action : "n/a" },
      });
      return judge;
    });
  } catch (error) {
    uniqueName(error, data.name);
  }
}

/** Points an endpoint judge at a template version: its new judgments use it. */
export async function setJudgeTemplate(prisma: PrismaClient, judgeId: number, version: string, userId: string | null) {
  return prisma.$transaction(async (tx) => {
    const judge = await tx.judge.findUnique({ where: { id: judgeId }, select: { kind: true, templateVersion: true } });
    if (!judge) throw new AppError("NOT_FOUND", `judge ${judgeId} does not exist`);
    if (judge.kind !== "openai_compatible") throw new AppError("INVALID", "only endpoint judges use prompt templates");
    await checkTemplate(tx, version);
    await tx.judge.update({ where: { id: judgeId }, data: { templateVersion: version } });
    await recordAudit(tx, { actorId: userId, action: "judge.template", entity: "judge", entityId: judgeId, data: { from: judge.templateVersion, to: version } });
    return { id: judgeId, templateVersion: version };
  });
}
