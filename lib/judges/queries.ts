// Reads for the judges pages and API. Never a key: stored keys show as present or absent.
import "server-only";
import { db } from "@/lib/db/client";
import { hasStoredApiKey } from "./secrets";
import { settingsIssues, ZEndpointSettings, ZRuleSettings, type TEndpointSettings, type TRuleJudgeSettings } from "./settings";

export type TJudgeSummary = {
  id: number;
  name: string;
  kind: "openai_compatible" | "rule_based" | "external";
  sizeLabel: string;
  description: string;
  templateVersion: string;
  /** endpoint judges: where and what */
  endpoint: { baseUrl: string; model: string; api: string; concurrency: number; apiKey: "stored" | "env" | "none"; apiKeyEnv: string | null } | null;
  rule: string | null;
  judged: number;
  /** when it was archived (lib/judges/archive.ts); null while in use */
  archivedAt: Date | null;
  lastRun: { id: number; status: string; failed: number; source: string; createdAt: Date } | null;
};

function endpointOf(settings: unknown, hasKey: boolean): TJudgeSummary["endpoint"] {
  const parsed = ZEndpointSettings.safeParse(settings);
  // Settings saved before a rule they now break (a run of them says what to change): shown as stored.
  const raw = (settings ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  if (!parsed.success) {
    const baseUrl = plainBaseUrl(raw.baseUrl);
    if (!baseUrl) return null;
    const env = str(raw.apiKeyEnv);
    return { baseUrl, model: str(raw.model), api: str(raw.api) || "chat", concurrency: Number(raw.concurrency) || 0, apiKey: env ? "env" : hasKey ? "stored" : "none", apiKeyEnv: env || null };
  }
  const s = parsed.data;
  return { baseUrl: s.baseUrl, model: s.model, api: s.api, concurrency: s.concurrency, apiKey: s.apiKeyEnv ? "env" : hasKey ? "stored" : "none", apiKeyEnv: s.apiKeyEnv ?? null };
}

/** Every judge, or the one `id` names (its page's API): the same fields either way. */
export async function listJudges(options: { id?: number } = {}): Promise<TJudgeSummary[]> {
  const judges = await db().judge.findMany({
    where: options.id === undefined ? {} : { id: options.id },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    select: { id: true, name: true, kind: true, sizeLabel: true, description: true, templateVersion: true, settings: true, archivedAt: true },
  });
  const ids = judges.map((j) => j.id);
  const [keys, totals, rewarded, last] = await Promise.all([
    hasStoredApiKey(db(), ids),
    // Judgments made by runs (imports count too) and by the reward endpoint's requests: from their
    // counters, not a scan of judgments (an item judged again counts again).
    db().judgeRun.groupBy({ by: ["judgeId"], _sum: { done: true }, where: { judgeId: { in: ids } } }),
    db().rewardRequest.groupBy({ by: ["judgeId"], _sum: { size: true }, where: { judgeId: { in: ids } } }),
    db().judgeRun.findMany({ where: { judgeId: { in: ids } }, distinct: ["judgeId"], orderBy: [{ judgeId: "asc" }, { createdAt: "desc" }], select: { judgeId: true, id: true, status: true, failed: true, source: true, createdAt: true } }),
  ]);
  const judged = new Map(totals.map((t) => [t.judgeId, t._sum.done ?? 0]));
  for (const r of rewarded) judged.set(r.judgeId, (judged.get(r.judgeId) ?? 0) + (r._sum.size ?? 0));
  const lastRun = new Map(last.map((r) => [r.judgeId, { id: r.id, status: r.status, failed: r.failed, source: r.source, createdAt: r.createdAt }]));
  return judges.map((j) => ({
    id: j.id,
    name: j.name,
    kind: j.kind,
    sizeLabel: j.sizeLabel,
    description: j.description,
    templateVersion: j.templateVersion,
    endpoint: j.kind === "openai_compatible" ? endpointOf(j.settings, keys.has(j.id)) : null,
    rule: j.kind === "rule_based" ? (ZRuleSettings.safeParse(j.settings).data?.rule ?? null) : null,
    judged: judged.get(j.id) ?? 0,
    archivedAt: j.archivedAt,
    lastRun: lastRun.get(j.id) ?? null,
  }));
}

export type TJudgeDetail = {
  id: number;
  name: string;
  kind: "openai_compatible" | "rule_based" | "external";
  sizeLabel: string;
  description: string;
  templateVersion: string;
  endpointSettings: TEndpointSettings | null;
  ruleSettings: TRuleJudgeSettings | null;
  /** why the stored settings are no longer accepted (saved before a rule they break), if they are not */
  settingsProblem: string | null;
  /** for the edit form of such settings: what of them can be shown (see draftOf) */
  endpointDraft: TEndpointSettings | null;
  hasStoredKey: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  /** the version an edit is made from (updateJudge's `expectedUpdatedAt`) */
  updatedAt: Date;
};

/** A stored base URL without what may be a credential in it (a user name, a password, a query). */
function plainBaseUrl(value: unknown): string {
  if (typeof value !== "string") return "";
  try {
    const url = new URL(value);
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

/**
 * Settings saved before a rule they break, for the edit form: the stored values over the defaults,
 * so that only what breaks a rule needs changing, except what may hold a credential (the base
 * URL's user, password and query, the extra headers), which must be entered again.
 */
function draftOf(settings: unknown): TEndpointSettings {
  const stored = Object.fromEntries(Object.entries((settings ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined));
  const defaults = ZEndpointSettings.parse({ baseUrl: "http://localhost/v1", model: "-" });
  const extraBody = stored.extraBody && typeof stored.extraBody === "object" && !Array.isArray(stored.extraBody) ? stored.extraBody : {};
  return { ...defaults, ...stored, baseUrl: plainBaseUrl(stored.baseUrl), model: typeof stored.model === "string" ? stored.model : "", headers: {}, extraBody } as TEndpointSettings;
}

export async function getJudge(id: number): Promise<TJudgeDetail | null> {
  const j = await db().judge.findUnique({ where: { id }, select: { id: true, name: true, kind: true, sizeLabel: true, description: true, templateVersion: true, settings: true, archivedAt: true, createdAt: true, updatedAt: true } });
  if (!j) return null;
  const keys = await hasStoredApiKey(db(), [id]);
  const endpoint = j.kind === "openai_compatible" ? ZEndpointSettings.safeParse(j.settings) : null;
  const rule = j.kind === "rule_based" ? ZRuleSettings.safeParse(j.settings) : null;
  const problem = (endpoint ?? rule)?.error;
  return {
    id: j.id,
    name: j.name,
    kind: j.kind,
    sizeLabel: j.sizeLabel,
    description: j.description,
    templateVersion: j.templateVersion,
    endpointSettings: endpoint?.data ?? null,
    endpointDraft: endpoint && !endpoint.success ? draftOf(j.settings) : null,
    ruleSettings: rule?.data ?? null,
    settingsProblem: problem ? settingsIssues(problem) : null,
    hasStoredKey: keys.has(id),
    archivedAt: j.archivedAt,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
  };
}

export type TTemplateVersion = { version: string; name: string; body: string; systemMessage: string | null; finalStepOnly: boolean; basedOn: string | null; note: string; createdAt: Date; createdBy: string | null };

export async function listTemplates(): Promise<TTemplateVersion[]> {
  const rows = await db().judgeTemplate.findMany({
    orderBy: [{ name: "asc" }, { createdAt: "desc" }],
    select: { version: true, name: true, body: true, systemMessage: true, finalStepOnly: true, basedOn: true, note: true, createdAt: true, createdBy: { select: { name: true } } },
  });
  return rows.map(({ createdBy, ...t }) => ({ ...t, createdBy: createdBy?.name ?? null }));
}

