"use client";

import { useRef, useState, useTransition } from "react";
import { NORMALIZE, type TRewardDefaults } from "@/lib/reward/options";
import { SCOPES, SCOPE_LABEL, type TScope } from "@/lib/tokens/scopes";
import { createTokenAction } from "@/lib/tokens/actions";
import { SubmitRow } from "@/components/ui/submit-row";

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5";

type TJudgeChoice = { id: number; name: string; sizeLabel: string };

function rewardDefaults(data: FormData): TRewardDefaults {
  const out: TRewardDefaults = {};
  const judge = String(data.get("judge") ?? "");
  if (judge) out.judge = Number(judge);
  const reward = String(data.get("reward") ?? "");
  if (reward === "binary" || reward === "soft") out.reward = reward;
  const normalize = String(data.get("normalize") ?? "");
  if ((NORMALIZE as readonly string[]).includes(normalize)) out.normalize = normalize as (typeof NORMALIZE)[number];
  const finalStep = String(data.get("finalStep") ?? "");
  if (finalStep) out.finalStep = finalStep === "true";
  return out;
}

/** `liveTokenIds`: the tokens not revoked; the one just created stops being shown once it is revoked. */
export function NewTokenForm({ judges, liveTokenIds }: { judges: TJudgeChoice[]; liveTokenIds: number[] }) {
  const form = useRef<HTMLFormElement>(null);
  const [created, setCreated] = useState<{ id: number; name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <section className="mt-8">
      {created && liveTokenIds.includes(created.id) && (
        <div role="status" className="mb-4 rounded-lg bg-emerald-50 p-4 ring-1 ring-emerald-200" data-testid="new-token">
          <p className="font-medium text-emerald-900">Token “{created.name}” created. Copy it now: it is not shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code className="min-w-0 flex-1 rounded bg-white px-2 py-1 font-mono text-sm break-all ring-1 ring-emerald-200" data-testid="token-value">
              {created.token}
            </code>
            <button
              type="button"
              className="rounded-md bg-emerald-700 px-3 py-1.5 text-white hover:bg-emerald-600"
              onClick={() => {
                void navigator.clipboard?.writeText(created.token).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
      <form
        ref={form}
        aria-label="New API token"
        className="grid grid-cols-2 gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const scopes = data.getAll("scopes").map(String) as TScope[];
          setError(null);
          startTransition(async () => {
            const result = await createTokenAction({ name: String(data.get("name") ?? ""), scopes, rewardDefaults: rewardDefaults(data) });
            if (result.ok) {
              setCreated({ id: result.data.id, name: String(data.get("name")), token: result.data.token });
              setCopied(false);
              form.current?.reset();
            } else setError(result.error.message);
          });
        }}
      >
        <h2 className="col-span-2 font-semibold">New API token</h2>
        <label className="col-span-2">
          <span className="text-xs font-medium text-slate-500">Name (who or what uses it)</span>
          <input name="name" required maxLength={100} placeholder="grpo-trainer on gpu-cluster" className={input} />
        </label>
        <fieldset className="col-span-2">
          <legend className="text-xs font-medium text-slate-500">Scopes</legend>
          <div className="mt-1 grid grid-cols-2 gap-1">
            {SCOPES.map((s) => (
              <label key={s} className="flex items-center gap-2">
                <input type="checkbox" name="scopes" value={s} defaultChecked={s === "reward"} />
                {SCOPE_LABEL[s]}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="col-span-2 grid grid-cols-4 gap-3 border-t border-slate-100 pt-3">
          <legend className="text-xs font-medium text-slate-500">Reward endpoint defaults (a request can override each)</legend>
          <div>
            <label htmlFor="token-judge" className="text-xs font-medium text-slate-500">
              Judge
            </label>
            <select id="token-judge" name="judge" defaultValue="" className={input}>
              <option value="">named by each request</option>
              {judges.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                  {j.sizeLabel ? ` (${j.sizeLabel})` : ""}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="token-reward" className="text-xs font-medium text-slate-500">
              Reward
            </label>
            <select id="token-reward" name="reward" defaultValue="" className={input}>
              <option value="">binary (default)</option>
              <option value="binary">binary: YES = 1, NO = 0</option>
              <option value="soft">soft: the judge&apos;s soft reward (Eq. 4 or renormalised, per the judge)</option>
            </select>
          </div>
          <div>
            <label htmlFor="token-normalize" className="text-xs font-medium text-slate-500">
              Normalise (Eq. 5)
            </label>
            <select id="token-normalize" name="normalize" defaultValue="" className={input}>
              <option value="">none (default)</option>
              <option value="none">none</option>
              <option value="batch">z-score over the batch</option>
              <option value="group">z-score per prompt group</option>
            </select>
          </div>
          <div>
            <label htmlFor="token-finalStep" className="text-xs font-medium text-slate-500">
              Response sent to the judge
            </label>
            <select id="token-finalStep" name="finalStep" defaultValue="" className={input}>
              <option value="">as the judge&apos;s template says</option>
              <option value="true">final step only</option>
              <option value="false">whole response</option>
            </select>
          </div>
        </fieldset>
        <SubmitRow pending={pending} label="Create token" pendingLabel="Creating…" message={error ? { ok: false, text: error } : null} />
      </form>
    </section>
  );
}
