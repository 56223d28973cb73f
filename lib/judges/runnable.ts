// A judge ready to judge items, whatever its kind: an endpoint judge with its template version
// and API key resolved, or a rule judge. Used by run workers and by "Test judge".
// (Imported by workers outside Next, so no "server-only" here.)
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { ruleJudge } from "@/lib/verifier/rule-judges";
import type { TFillInput } from "@/lib/verifier/template";
import { judgeOnEndpoint, type TEndpointJudge, type TJudgeOptions } from "./endpoint";
import type { TItemResult } from "./result";
import { assertJudgeHost } from "./hosts";
import { resolveApiKey } from "./secrets";
import { readEndpointSettings, readRuleSettings, ruleTemplateVersion, type TRuleJudgeSettings } from "./settings";
import { getTemplate } from "./templates";

type Db = PrismaClient | Prisma.TransactionClient;

export type TRunnableJudge =
  | ({ kind: "openai_compatible"; id: number; name: string; templateVersion: string; endpointKey: string } & TEndpointJudge)
  | { kind: "rule_based"; id: number; name: string; templateVersion: string; settings: TRuleJudgeSettings };

export type TItem = TFillInput & { responseId: number };

/** The endpoint an endpoint judge calls: its base URL, lower-cased scheme and host, no trailing slash. */
export function endpointKey(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`.toLowerCase();
}

/**
 * Loads a judge to run. `templateVersion` pins the version (a run's): an endpoint judge then uses
 * that template even if the judge has moved to another, and a rule judge whose settings changed
 * since (its version names them) cannot go on under the old version.
 */
export async function loadRunnableJudge(prisma: Db, judgeId: number, templateVersion?: string): Promise<TRunnableJudge> {
  const judge = await prisma.judge.findUnique({ where: { id: judgeId }, select: { id: true, name: true, kind: true, settings: true, templateVersion: true } });
  if (!judge) throw new AppError("NOT_FOUND", `judge ${judgeId} does not exist`);
  if (judge.kind === "external") throw new AppError("INVALID", `${judge.name} is an external judge: its judgments are imported, it cannot be run`);
  const version = templateVersion ?? judge.templateVersion;
  if (judge.kind === "rule_based") {
    const settings = readRuleSettings(judge.settings);
    if (ruleTemplateVersion(settings) !== version) {
      throw new AppError("CONFLICT", `${judge.name}'s settings changed since this run started (now ${ruleTemplateVersion(settings)}); start a new run`);
    }
    return { kind: "rule_based", id: judge.id, name: judge.name, templateVersion: version, settings };
  }
  const settings = readEndpointSettings(judge.settings, judge.name);
  // Also for a judge saved before the hosts were limited: it is not called.
  assertJudgeHost(settings.baseUrl, judge.name);
  const template = await getTemplate(prisma, version);
  const apiKey = await resolveApiKey(prisma, { id: judge.id, apiKeyEnv: settings.apiKeyEnv });
  return { kind: "openai_compatible", id: judge.id, name: judge.name, templateVersion: version, endpointKey: endpointKey(settings.baseUrl), settings, template, apiKey };
}

export function judgeWithRule(settings: TRuleJudgeSettings, item: TItem): TItemResult {
  const started = performance.now();
  const outcome = ruleJudge(settings, item);
  return {
    responseId: item.responseId,
    verdict: outcome.verdict,
    pYes: null,
    pNo: null,
    softReward: outcome.softReward,
    rawOutput: null,
    topLogprobs: null,
    error: outcome.reason,
    errorKind: outcome.verdict === "UNPARSEABLE" ? "unparseable" : null,
    promptHash: null,
    attempts: 1,
    latencyMs: Math.round(performance.now() - started),
    promptTokens: null,
    completionTokens: null,
  };
}

export async function judgeItem(judge: TRunnableJudge, item: TItem, options: TJudgeOptions = {}): Promise<TItemResult> {
  return judge.kind === "rule_based" ? judgeWithRule(judge.settings, item) : judgeOnEndpoint(judge, item, options);
}
