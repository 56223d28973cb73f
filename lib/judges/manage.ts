// Creating and changing judges (researchers). An endpoint judge points at a template version; a rule
// judge's "template version" names its rule and settings (rule + hash), so changing a rule's
// settings starts a new series of judgments and the old ones keep theirs.
//
// A judge's key goes to whatever host its base URL names, so where a key may be sent is guarded
// (checkKeyUse): a stored key is only ever sent to the host it was entered for, and a key read
// from the server's environment (set by whoever runs the studio) only where an admin pointed it.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { hasRole, type TRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { PAPER_TEMPLATE_VERSION } from "@/lib/verifier/template";
import { assertJudgeHost } from "./hosts";
import { storeApiKey } from "./secrets";
import { originOf, ruleTemplateVersion, ZEndpointSettings, ZRuleSettings, type TEndpointSettings } from "./settings";
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

const safeOrigin = (url: string) => {
  try {
    return originOf(url);
  } catch {
    return null;
  }
};

/** What a judge's key was configured for: its host (null: unreadable settings), its variable, whether a key is stored. */
type TKeyUse = { origin: string | null; apiKeyEnv?: string; hasStoredKey: boolean };

/** Who changes a judge: null for the studio's own processes (the demo, tests), trusted as an admin. */
export type TJudgeActor = { id: string; role: TRole } | null;

/**
 * Refuses a change that would send a key somewhere it was not meant for: a researcher naming an
 * environment variable (its value would go to a host of their choosing) or moving a judge that
 * reads one to another host; anyone moving a judge with a stored key to another host without
 * entering the key again.
 */
function checkKeyUse(actor: TJudgeActor, before: TKeyUse | null, after: TEndpointSettings, apiKey: z.infer<typeof ZApiKeyChange>) {
  const moves = before !== null && before.origin !== originOf(after.baseUrl);
  const isAdmin = actor === null || hasRole(actor.role, "admin");
  if (after.apiKeyEnv && !isAdmin && (before?.apiKeyEnv !== after.apiKeyEnv || moves)) {
    throw new AppError(
      "FORBIDDEN",
      `Only an admin can make a judge read its key from the server's environment (${after.apiKeyEnv}), or point such a judge at another host: the variable's value is sent to the host the judge calls. Use a stored key instead.`,
    );
  }
  // Also when the key is to come from a variable now: the stored key stays, and is sent again as
  // soon as anyone empties the variable's field.
  if (moves && before.hasStoredKey && apiKey.action === "keep") {
    throw new AppError(
      "INVALID",
      `The endpoint moves from ${before.origin ?? "an unknown host"} to ${originOf(after.baseUrl)}: enter its API key again, or remove the stored one. A stored key is only sent to the host it was entered for.`,
    );
  }
}

function uniqueName(error: unknown, name: string): never {
  if ((error as { code?: string }).code === "P2002") throw new AppError("CONFLICT", `A judge named "${name}" already exists.`);
  throw error;
}

async function checkTemplate(tx: Prisma.TransactionClient, version: string) {
  if (!(await tx.judgeTemplate.findUnique({ where: { version }, select: { version: true } }))) {
    throw new AppError("INVALID", `template version "${version}" does not exist`);
  }
}

export async function createJudge(prisma: PrismaClient, input: TJudgeInput, actor: TJudgeActor) {
  const data = ZJudgeInput.parse(input);
  const userId = actor?.id ?? null;
  if (data.kind === "openai_compatible") {
    assertJudgeHost(data.settings.baseUrl, data.name);
    checkKeyUse(actor, null, data.settings, data.apiKey);
  }
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

/**
 * `expectedUpdatedAt`: when the settings the change was made from were saved (the edit form
 * sends it). The form sends every field, so a save from a page opened before someone else's
 * change would put back their settings and template version unsaid: it is refused instead.
 */
export async function updateJudge(prisma: PrismaClient, judgeId: number, input: TJudgeInput, actor: TJudgeActor, expectedUpdatedAt?: string) {
  const data = ZJudgeInput.parse(input);
  const userId = actor?.id ?? null;
  if (data.kind === "openai_compatible") assertJudgeHost(data.settings.baseUrl, data.name);
  try {
    return await prisma.$transaction(async (tx) => {
      // Locked: the key rules compare with the settings this change replaces.
      const [current] = await tx.$queryRaw<{ kind: string; settings: unknown; has_key: boolean; updated_at: Date }[]>`
        SELECT kind::text, settings, api_key_encrypted IS NOT NULL AS has_key, updated_at FROM judges WHERE id = ${judgeId} FOR UPDATE`;
      if (!current) throw new AppError("NOT_FOUND", `judge ${judgeId} does not exist`);
      if (expectedUpdatedAt !== undefined && current.updated_at.toISOString() !== new Date(expectedUpdatedAt).toISOString()) {
        const [last] = await tx.$queryRaw<{ name: string | null }[]>`
          SELECT u.name FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.entity = 'judge' AND e.entity_id = ${String(judgeId)} ORDER BY e.id DESC LIMIT 1`;
        throw new AppError(
          "CONFLICT",
          `This judge was changed meanwhile${last?.name ? ` by ${last.name}` : ""} (at ${current.updated_at.toISOString().slice(11, 19)} UTC): nothing was saved. Reload the page to see its settings now, then make your change again.`,
        );
      }
      if (current.kind !== data.kind) throw new AppError("INVALID", "a judge's kind cannot change; create another judge");
      if (data.kind === "openai_compatible") {
        // Read as stored, not through today's rules: settings saved before a rule they break still
        // name their host and variable.
        const before = (current.settings ?? {}) as { baseUrl?: unknown; apiKeyEnv?: unknown };
        const use = { origin: typeof before.baseUrl === "string" ? safeOrigin(before.baseUrl) : null, apiKeyEnv: typeof before.apiKeyEnv === "string" && before.apiKeyEnv !== "" ? before.apiKeyEnv : undefined };
        checkKeyUse(actor, { ...use, hasStoredKey: current.has_key }, data.settings, data.apiKey);
      }
      const templateVersion = data.kind === "rule_based" ? ruleTemplateVersion(data.settings) : data.templateVersion;
      if (data.kind === "openai_compatible") await checkTemplate(tx, templateVersion);
      const judge = await tx.judge.update({
        where: { id: judgeId },
        data: { name: data.name, sizeLabel: data.sizeLabel, description: data.description, settings: data.settings as Prisma.InputJsonObject, templateVersion },
        select: { id: true, name: true, templateVersion: true, updatedAt: true },
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
