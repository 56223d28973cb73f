// A judge's settings by kind, validated with zod wherever they are written or read (the
// `settings` JSON column, the forms, the API). No secret lives here: an endpoint's API key is
// the *name* of an environment variable, or the encrypted column (lib/judges/secrets.ts).
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { DEFAULT_RULE_SETTINGS, RULES } from "@/lib/verifier/rule-judges";

// Headers that carry credentials belong in the API key, which is encrypted and never shown; extra
// headers are shown to every viewer of the judge (and copied into each run's settings).
const SECRET_HEADER = /auth|key|token|secret|password|cookie|session|signature/i;
// Headers the HTTP client sets from the URL and the body, or that steer the connection: set by
// hand they would send the request, and the key with it, somewhere other than the base URL says
// (Host picks another site on a shared front end), or break the request.
// Fields of the request body the studio sets: an extra body field would replace them after the
// fact, and the judgment stored as the item's would be of another prompt, model or sampling.
const RESERVED_BODY_FIELDS = new Set(["model", "messages", "prompt", "temperature", "max_tokens", "max_completion_tokens", "logprobs", "top_logprobs", "stream", "n", "best_of", "echo"]);
const TRANSPORT_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "forwarded", "x-forwarded-host", "x-forwarded-for", "x-forwarded-proto", "x-real-ip", "via"]);

/**
 * Environment variables a judge may never read its key from: the studio's own secrets and
 * settings. The key is sent to the judge's endpoint, so naming one of them would send it there.
 */
export function isStudioVariable(name: string): boolean {
  return /^(AUTH_\w*|BETTER_AUTH_\w*|ADMIN_\w*|DATABASE_\w*|TEST_DATABASE_URL|STUDIO_\w*|WORKER_\w*|PG\w*|NODE_\w*|npm_\w*)$/i.test(name);
}

/** scheme://host:port of a base URL: where a key configured for it may be sent. */
export const originOf = (baseUrl: string) => new URL(baseUrl).origin;

export const ZEndpointSettings = z.object({
  /** the OpenAI-compatible base URL, /v1 included: http://gpu-1:8000/v1 */
  baseUrl: z
    .string()
    .trim()
    // abort: a text that is no URL at all gets this one message, not every rule after it too.
    .url({ message: "the base URL must be a URL such as http://gpu-1:8000/v1", abort: true })
    .refine((u) => /^https?:\/\//i.test(u), "the base URL must start with http:// or https://")
    // A user name or password in the URL would be shown to every viewer of the judge.
    .refine((u) => !/^https?:\/\/[^/]*@/i.test(u), "the base URL must not hold a user name or password: put the credential in the API key")
    // The request paths are appended to it; a query string (often a key: ?api-key=) would end up
    // before them, and in front of every viewer.
    .refine((u) => !/[?#]/.test(u), "the base URL ends with its path (http://gpu-1:8000/v1): no query string or fragment")
    .transform((u) => u.replace(/\/+$/, "")),
  model: z.string().trim().min(1, "name the model the endpoint serves").max(200),
  /** chat: /chat/completions with the prompt as a user message; completions: /completions with the raw prompt */
  api: z.enum(["chat", "completions"]).default("chat"),
  /** read the API key from this environment variable of the worker (instead of storing it) */
  apiKeyEnv: z
    .string()
    .trim()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name such as VLLM_API_KEY")
    .max(100)
    .refine((name) => !isStudioVariable(name), "that variable is one of the studio's own settings, never sent to an endpoint")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** extra HTTP headers (not for secrets: use the API key) */
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "not a valid header name"), z.string().max(2000))
    .default({})
    .refine((h) => Object.keys(h).every((k) => !SECRET_HEADER.test(k)), "credentials go in the API key, not in extra headers (they are shown to every viewer)")
    .refine((h) => Object.keys(h).every((k) => !TRANSPORT_HEADERS.has(k.toLowerCase())), "Host, Content-Length, Connection and forwarding headers come from the base URL and the request, not from extra headers"),
  /** extra JSON fields merged into the request body (e.g. {"chat_template_kwargs": {"enable_thinking": false}}) */
  extraBody: z
    .record(z.string(), z.unknown())
    .default({})
    .superRefine((body, ctx) => {
      const reserved = Object.keys(body).filter((k) => RESERVED_BODY_FIELDS.has(k));
      if (reserved.length) ctx.addIssue({ code: "custom", message: `${reserved.join(", ")}: set by the judge's own settings (the prompt is the template filled with the item), not by extra body fields` });
    }),
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.number().int().min(1).max(32_768).default(8),
  /** 0 asks for no log-probabilities (no soft reward) */
  topLogprobs: z.number().int().min(0).max(20).default(20),
  timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  /** retries after the first attempt, on 429, 5xx, timeouts, dropped connections, bad replies */
  retries: z.number().int().min(0).max(10).default(4),
  retryBaseMs: z.number().int().min(1).max(60_000).default(500),
  retryMaxMs: z.number().int().min(1).max(600_000).default(30_000),
  /** requests in flight to this endpoint, across all workers */
  concurrency: z.number().int().min(1).max(1024).default(16),
  verdictMode: z.enum(["strict", "leading"]).default("strict"),
  logprobToken: z.enum(["first", "first_verdict"]).default("first"),
  /** which soft reward is the judgment's reward: Eq. 4 (the paper) or the renormalised one */
  softReward: z.enum(["eq4", "renormalized"]).default("eq4"),
});
export type TEndpointSettings = z.infer<typeof ZEndpointSettings>;
export type TEndpointSettingsInput = z.input<typeof ZEndpointSettings>;

export const ZRuleSettings = z.object({
  rule: z.enum(RULES),
  referenceSeparator: z.string().max(5).default(DEFAULT_RULE_SETTINGS.referenceSeparator),
  threshold: z.number().min(0).max(1).default(DEFAULT_RULE_SETTINGS.threshold),
  relativeTolerance: z.number().min(0).max(1).default(DEFAULT_RULE_SETTINGS.relativeTolerance),
  absoluteTolerance: z.number().min(0).default(DEFAULT_RULE_SETTINGS.absoluteTolerance),
  finalStepOnly: z.boolean().default(DEFAULT_RULE_SETTINGS.finalStepOnly),
});
export type TRuleJudgeSettings = z.infer<typeof ZRuleSettings>;

export const RULE_LABEL: Record<TRuleJudgeSettings["rule"], string> = {
  containment: "Containment (binary, the paper's baseline)",
  jaccard: "Jaccard similarity (soft, the paper's baseline)",
  numeric: "Numeric equivalence with tolerance",
  choice: "Multiple-choice letter match",
};

/**
 * An endpoint judge's stored settings, read back as a run uses them. Settings saved before a rule that
 * refuses them (a credential-like header, a query string in the base URL, a studio variable for
 * the key) are refused with what to change, not with the validator's raw issues.
 */
export function readEndpointSettings(json: unknown, judgeName = "the judge"): TEndpointSettings {
  const parsed = ZEndpointSettings.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new AppError("INVALID", `${judgeName}'s settings are no longer accepted (${settingsIssues(parsed.error)}); edit the judge`);
}

/** Why stored settings do not pass, field by field, as the judge's page and a refused run say it. */
export const settingsIssues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`).join("; ");

export function readRuleSettings(json: unknown): TRuleJudgeSettings {
  return ZRuleSettings.parse(json);
}

/**
 * A rule judge's "template version": the rule and a hash of its settings ("numeric-3fa2c1d0"),
 * so changing a rule's settings starts a new series of judgments and old ones keep theirs.
 */
export function ruleTemplateVersion(settings: TRuleJudgeSettings): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b))));
  return `${settings.rule}-${createHash("sha256").update(canonical).digest("hex").slice(0, 8)}`;
}
