"use client";
// Creating or editing a judge (admins). The API key field is write-only: it is never filled
// from the server; leaving it blank keeps the stored key.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createJudgeAction, updateJudgeAction } from "@/lib/judges/actions";
import type { TJudgeInput } from "@/lib/judges/manage";
import type { TEndpointSettings, TRuleJudgeSettings } from "@/lib/judges/settings";
import { SubmitRow } from "@/components/ui/submit-row";
import { Field, inputClass } from "./field";

type TKind = "openai_compatible" | "rule_based";

export type TJudgeFormValues = {
  id?: number;
  kind: TKind;
  name: string;
  sizeLabel: string;
  description: string;
  templateVersion: string;
  endpoint: TEndpointSettings | null;
  rule: TRuleJudgeSettings | null;
  hasStoredKey: boolean;
  /** when the settings shown were saved: a save from them is refused if they changed since */
  updatedAt?: string;
};

const RULES: { value: TRuleJudgeSettings["rule"]; label: string }[] = [
  { value: "containment", label: "Containment (binary, the paper's baseline)" },
  { value: "jaccard", label: "Jaccard similarity (soft, the paper's baseline)" },
  { value: "numeric", label: "Numeric equivalence with tolerance" },
  { value: "choice", label: "Multiple-choice letter match" },
];

const num = (data: FormData, name: string) => Number(data.get(name));
const str = (data: FormData, name: string) => String(data.get(name) ?? "").trim();

function jsonField(data: FormData, name: string, label: string): Record<string, unknown> {
  const text = str(data, name);
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${label} is not valid JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${label} must be a JSON object`);
  return value as Record<string, unknown>;
}

function toInput(kind: TKind, data: FormData): TJudgeInput {
  const common = { name: str(data, "name"), sizeLabel: str(data, "sizeLabel"), description: str(data, "description") };
  if (kind === "rule_based") {
    return {
      kind,
      ...common,
      settings: {
        rule: str(data, "rule") as TRuleJudgeSettings["rule"],
        referenceSeparator: String(data.get("referenceSeparator") ?? ""),
        threshold: num(data, "threshold"),
        relativeTolerance: num(data, "relativeTolerance"),
        absoluteTolerance: num(data, "absoluteTolerance"),
        finalStepOnly: data.get("finalStepOnly") === "on",
      },
    };
  }
  const key = String(data.get("apiKey") ?? "");
  return {
    kind,
    ...common,
    templateVersion: str(data, "templateVersion"),
    apiKey: data.get("clearKey") === "on" ? { action: "clear" } : key ? { action: "set", value: key } : { action: "keep" },
    settings: {
      baseUrl: str(data, "baseUrl"),
      model: str(data, "model"),
      api: str(data, "api") as "chat" | "completions",
      apiKeyEnv: str(data, "apiKeyEnv") || undefined,
      headers: jsonField(data, "headers", "Extra headers") as Record<string, string>,
      extraBody: jsonField(data, "extraBody", "Extra body fields"),
      temperature: num(data, "temperature"),
      maxTokens: num(data, "maxTokens"),
      topLogprobs: num(data, "topLogprobs"),
      timeoutMs: Math.round(num(data, "timeoutSeconds") * 1000),
      retries: num(data, "retries"),
      concurrency: num(data, "concurrency"),
      softReward: str(data, "softReward") as "eq4" | "renormalized",
      verdictMode: str(data, "verdictMode") as "strict" | "leading",
      logprobToken: str(data, "logprobToken") as "first" | "first_verdict",
    },
  };
}

export function JudgeForm({ initial, templateVersions }: { initial: TJudgeFormValues; templateVersions: string[] }) {
  const router = useRouter();
  const [kind, setKind] = useState<TKind>(initial.kind);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  // The version the fields show, kept from when they were loaded and moved on only by this form's
  // own saves: the page's props follow any later change (a template switched beside the form,
  // another user's save), but the form's lists keep what they showed, and a save from them must
  // be refused, not sent with the newer version.
  const [loadedAt, setLoadedAt] = useState(initial.updatedAt);
  const e = initial.endpoint;
  const r = initial.rule;
  const editing = initial.id !== undefined;

  return (
    <form
      aria-label={editing ? "Judge settings" : "New judge"}
      className="grid grid-cols-2 gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        let input: TJudgeInput;
        try {
          input = toInput(kind, data);
        } catch (error) {
          setMessage({ ok: false, text: (error as Error).message });
          return;
        }
        startTransition(async () => {
          const result = editing ? await updateJudgeAction(initial.id!, input, loadedAt) : await createJudgeAction(input);
          if (!result.ok) return setMessage({ ok: false, text: result.error.message });
          if (editing && "updatedAt" in result.data) setLoadedAt(new Date(result.data.updatedAt as Date | string).toISOString());
          setMessage({ ok: true, text: editing ? "Saved." : "Created." });
          if (!editing) router.push(`/judges/${result.data.id}`);
          else router.refresh();
        });
      }}
    >
      {!editing && (
        <fieldset className="col-span-2">
          <legend className="text-xs font-medium text-slate-600">Kind</legend>
          <div className="mt-1 flex gap-4">
            {(["openai_compatible", "rule_based"] as const).map((k) => (
              <label key={k} className="flex items-center gap-1.5">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {k === "openai_compatible" ? "Inference endpoint (vLLM, SGLang, TGI, llama.cpp, OpenAI)" : "Rule (in-process)"}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <Field label="Name">
        <input name="name" required maxLength={80} defaultValue={initial.name} className={inputClass} placeholder="Qwen2.5-72B judge" />
      </Field>
      <Field label="Size label" hint="Shown beside the name, e.g. 72B or 7B">
        <input name="sizeLabel" maxLength={20} defaultValue={initial.sizeLabel} className={inputClass} />
      </Field>
      <Field label="Description" wide>
        <input name="description" maxLength={500} defaultValue={initial.description} className={inputClass} />
      </Field>

      {kind === "openai_compatible" ? (
        <>
          <Field label="Base URL" hint="The OpenAI-compatible base, /v1 included" wide>
            <input name="baseUrl" required defaultValue={e?.baseUrl ?? ""} placeholder="http://gpu-1:8000/v1" className={`${inputClass} font-mono`} />
          </Field>
          <Field label="Model" hint="As the server names it (GET /v1/models)">
            <input name="model" required defaultValue={e?.model ?? ""} placeholder="Qwen/Qwen2.5-72B-Instruct" className={`${inputClass} font-mono`} />
          </Field>
          <Field label="API">
            <select name="api" defaultValue={e?.api ?? "chat"} className={inputClass}>
              <option value="chat">Chat completions (instruct models)</option>
              <option value="completions">Completions (base models, raw prompt)</option>
            </select>
          </Field>
          <Field label={initial.hasStoredKey ? "API key (a key is stored; leave blank to keep it)" : "API key (stored encrypted; optional)"} hint="Never shown again once saved">
            <input name="apiKey" type="password" autoComplete="off" className={inputClass} />
            {initial.hasStoredKey && (
              <span className="mt-1 flex items-center gap-1.5 text-xs">
                <input type="checkbox" name="clearKey" /> Remove the stored key
              </span>
            )}
          </Field>
          <Field label="…or read the key from this environment variable" hint="Set where the workers run; nothing is stored. Admins only: its value is sent to this judge's host">
            <input name="apiKeyEnv" defaultValue={e?.apiKeyEnv ?? ""} placeholder="VLLM_API_KEY" className={`${inputClass} font-mono`} />
          </Field>
          <Field label="Template version">
            <select name="templateVersion" defaultValue={initial.templateVersion || "paper-v1"} className={inputClass}>
              {templateVersions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Soft reward" hint="Which one is the judgment's reward; both are shown">
            <select name="softReward" defaultValue={e?.softReward ?? "eq4"} className={inputClass}>
              <option value="eq4">Eq. 4 (the paper): P(YES) if YES, 1 − P(NO) if NO</option>
              <option value="renormalized">Renormalised: P(YES) / (P(YES) + P(NO))</option>
            </select>
          </Field>
          <Field label="Temperature">
            <input name="temperature" type="number" step="0.01" min={0} max={2} defaultValue={e?.temperature ?? 0} className={inputClass} />
          </Field>
          <Field label="Max tokens">
            <input name="maxTokens" type="number" min={1} max={32768} defaultValue={e?.maxTokens ?? 8} className={inputClass} />
          </Field>
          <Field label="Top logprobs" hint="0 asks for none (no soft reward); at most 20">
            <input name="topLogprobs" type="number" min={0} max={20} defaultValue={e?.topLogprobs ?? 20} className={inputClass} />
          </Field>
          <Field label="Concurrency" hint="Requests in flight to this endpoint, across all workers">
            <input name="concurrency" type="number" min={1} max={1024} defaultValue={e?.concurrency ?? 16} className={inputClass} />
          </Field>
          <Field label="Request timeout (seconds)">
            <input name="timeoutSeconds" type="number" min={0.1} step="0.1" max={600} defaultValue={(e?.timeoutMs ?? 60_000) / 1000} className={inputClass} />
          </Field>
          <Field label="Retries" hint="On 429, 5xx, timeouts, dropped connections, bad replies">
            <input name="retries" type="number" min={0} max={10} defaultValue={e?.retries ?? 4} className={inputClass} />
          </Field>
          <Field label="Reading the verdict">
            <select name="verdictMode" defaultValue={e?.verdictMode ?? "strict"} className={inputClass}>
              <option value="strict">Strict: the reply is YES or NO (the paper&apos;s template)</option>
              <option value="leading">Leading: the reply starts with yes or no</option>
            </select>
          </Field>
          <Field label="Probabilities from">
            <select name="logprobToken" defaultValue={e?.logprobToken ?? "first"} className={inputClass}>
              <option value="first">The first generated token (the paper)</option>
              <option value="first_verdict">The first token that reads YES or NO</option>
            </select>
          </Field>
          <Field label="Extra headers (JSON, not for secrets)">
            <textarea name="headers" rows={2} defaultValue={e && Object.keys(e.headers).length ? JSON.stringify(e.headers) : ""} placeholder='{"X-Team": "rl"}' className={`${inputClass} font-mono text-xs`} />
          </Field>
          <Field label="Extra body fields (JSON)">
            <textarea name="extraBody" rows={2} defaultValue={e && Object.keys(e.extraBody).length ? JSON.stringify(e.extraBody) : ""} placeholder='{"chat_template_kwargs": {"enable_thinking": false}}' className={`${inputClass} font-mono text-xs`} />
          </Field>
        </>
      ) : (
        <>
          <Field label="Rule">
            <select name="rule" defaultValue={r?.rule ?? "containment"} className={inputClass}>
              {RULES.map((rule) => (
                <option key={rule.value} value={rule.value}>
                  {rule.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reference alternatives separator" hint={'"a | b" counts either; empty for none'}>
            <input name="referenceSeparator" maxLength={5} defaultValue={r?.referenceSeparator ?? "|"} className={inputClass} />
          </Field>
          <Field label="Jaccard threshold for YES">
            <input name="threshold" type="number" step="0.01" min={0} max={1} defaultValue={r?.threshold ?? 0.5} className={inputClass} />
          </Field>
          <Field label="Numeric relative tolerance">
            <input name="relativeTolerance" type="number" step="any" min={0} max={1} defaultValue={r?.relativeTolerance ?? 1e-6} className={inputClass} />
          </Field>
          <Field label="Numeric absolute tolerance">
            <input name="absoluteTolerance" type="number" step="any" min={0} defaultValue={r?.absoluteTolerance ?? 1e-9} className={inputClass} />
          </Field>
          <label className="flex items-center gap-1.5 self-end">
            <input type="checkbox" name="finalStepOnly" defaultChecked={r?.finalStepOnly ?? true} /> Compare with the final step only (the paper)
          </label>
        </>
      )}
      <SubmitRow pending={pending} label={editing ? "Save settings" : "Create judge"} pendingLabel="Saving…" message={message} />
    </form>
  );
}
