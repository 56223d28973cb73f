"use client";
// "Test judge": one real item, once; the verdict, both soft rewards, latency, tokens, and the
// raw HTTP exchange. Untrusted text (the item, the reply) is shown as text.
import { useState } from "react";
import { VerdictBadge } from "@/components/ui/badges";
import { formatScore } from "@/components/ui/format";
import { buttonClass, Field, inputClass } from "./field";
import { useTestJudge } from "./use-judge-actions";
import type { TJudgeTest } from "@/lib/judges/test-judge";

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-medium tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

const pre = "mt-1 max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs whitespace-pre-wrap text-slate-100";

export function TestPanel({ judgeId, datasets }: { judgeId: number; datasets: { id: number; name: string }[] }) {
  const [datasetId, setDatasetId] = useState<number | undefined>(datasets[0]?.id);
  const [responseId, setResponseId] = useState("");
  const test = useTestJudge();
  const t = test.data;

  return (
    <div>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (responseId && !/^[0-9]+$/.test(responseId)) return;
          test.mutate({ judgeId, datasetId, responseId: responseId ? Number(responseId) : undefined });
        }}
      >
        <Field label="Dataset">
          <select value={datasetId ?? ""} onChange={(e) => setDatasetId(Number(e.target.value) || undefined)} className={inputClass}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Response id (empty: a random one)">
          {/* A whole number or nothing: anything else is refused as typed, not quietly changed into another id. */}
          <input value={responseId} onChange={(e) => setResponseId(e.target.value.trim())} inputMode="numeric" pattern="[0-9]*" title="a response id: a whole number" className={`${inputClass} w-40`} />
        </Field>
        <button type="submit" disabled={test.isPending || datasets.length === 0} className={buttonClass}>
          {test.isPending ? "Calling the judge…" : "Test judge"}
        </button>
      </form>
      {test.isError && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-red-800">
          {test.error.message}
        </p>
      )}
      {t && (
        <div className="mt-4 space-y-3" data-testid="test-result">
          <div className="flex items-center gap-2">
            <span className="text-sm text-slate-600">Verdict</span>
            <VerdictBadge verdict={t.result.verdict} error={t.result.error} />
            {t.result.error && <span className="text-sm text-red-700">{t.result.error}</span>}
          </div>
          <dl className="grid grid-cols-2 gap-2 md:grid-cols-4 lg:grid-cols-8">
            <Stat label="P(YES)" value={formatScore(t.result.pYes)} testId="test-p-yes" />
            <Stat label="P(NO)" value={formatScore(t.result.pNo)} testId="test-p-no" />
            <Stat label="Reward (Eq. 4)" value={formatScore(t.result.eq4)} />
            <Stat label="Renormalised" value={formatScore(t.result.renormalized)} />
            <Stat label="Latency" value={t.result.latencyMs === null ? "—" : `${t.result.latencyMs} ms`} testId="test-latency" />
            <Stat label="Prompt tokens" value={t.result.promptTokens === null ? "—" : String(t.result.promptTokens)} />
            <Stat label="Completion tokens" value={t.result.completionTokens === null ? "—" : String(t.result.completionTokens)} />
            <Stat label="HTTP status" value={t.http?.response ? String(t.http.response.status) : "—"} />
          </dl>
          {softless(t) && (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status" data-testid="test-softless">
              {softless(t) === "no-logprobs"
                ? "The reply held no log-probabilities, so this verdict has no soft reward: the endpoint ignored the request for them (vLLM needs --max-logprobs at least the judge's top_logprobs; some servers return none)."
                : "The reply has log-probabilities, but the scored token's alternatives hold neither YES nor NO, so there is no soft reward: the verdict was not the first token (set “Probabilities from” to the first token that reads YES or NO)."}
            </p>
          )}
          <details open>
            <summary className="cursor-pointer text-sm font-medium">
              Item: response {t.item.responseId} of {t.item.datasetName}
            </summary>
            <dl className="mt-2 grid gap-2 text-sm">
              <div>
                <dt className="text-xs text-slate-500">Question</dt>
                <dd className="whitespace-pre-wrap">{t.item.question}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Reference</dt>
                <dd className="whitespace-pre-wrap">{t.item.reference}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Response</dt>
                <dd className="max-h-40 overflow-auto whitespace-pre-wrap">{t.item.response}</dd>
              </div>
            </dl>
          </details>
          {(t.messages || t.prompt) && (
            <details>
              <summary className="cursor-pointer text-sm font-medium">Prompt sent</summary>
              <pre className={pre}>{t.messages ? t.messages.map((m) => `[${m.role}]\n${m.content}`).join("\n\n") : t.prompt}</pre>
            </details>
          )}
          {t.result.topLogprobs && (
            <details>
              <summary className="cursor-pointer text-sm font-medium">First token&apos;s top log-probabilities</summary>
              <table className="mt-1 text-xs">
                <tbody>
                  {t.result.topLogprobs.map((e, i) => (
                    <tr key={i}>
                      <td className="pr-4 font-mono">{JSON.stringify(e.token)}</td>
                      <td className="pr-4 tabular-nums">{e.logprob.toFixed(4)}</td>
                      <td className="tabular-nums text-slate-500">p = {Math.exp(e.logprob).toFixed(4)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
          {t.http && (
            <details>
              <summary className="cursor-pointer text-sm font-medium">Raw HTTP exchange</summary>
              <p className="mt-2 text-xs text-slate-500">Request</p>
              <pre className={pre} data-testid="raw-request">
                {`POST ${t.http.request.url}\n${Object.entries(t.http.request.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${JSON.stringify(t.http.request.body, null, 2)}`}
              </pre>
              <p className="mt-2 text-xs text-slate-500">Response</p>
              <pre className={pre} data-testid="raw-response">
                {t.http.response
                  ? `HTTP ${t.http.response.status}\n${Object.entries(t.http.response.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${pretty(t.http.response.body)}`
                  : "(no reply)"}
              </pre>
            </details>
          )}
        </div>
      )}
    </div>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** Why a verdict of an endpoint that was asked for log-probabilities came without a soft reward, as the run page says it. */
function softless(t: TJudgeTest): "no-logprobs" | "off-position" | null {
  const asked = t.http && typeof t.http.request.body === "object" && t.http.request.body !== null && Boolean((t.http.request.body as { logprobs?: unknown }).logprobs);
  if (!asked || (t.result.verdict !== "YES" && t.result.verdict !== "NO")) return null;
  if (t.result.topLogprobs === null) return "no-logprobs";
  return t.result.softReward === null ? "off-position" : null;
}
