"use client";
// A run, live: progress, throughput, ETA, tokens, errors by kind with examples, its settings,
// and (researchers) pause, resume, cancel. Refreshed every second while it moves.
import Link from "next/link";
import { useEffect, useState } from "react";
import { RunStatusBadge } from "@/components/ui/badges";
import { runningSeconds } from "@/lib/runs/running-time";
import { settingLabel } from "@/lib/judges/setting-labels";
import { formatDuration, formatInt, formatWhen } from "@/components/ui/format";
import { ProgressBar } from "@/components/ui/progress-bar";
import { ERROR_KIND_LABEL } from "@/lib/judges/failures";
import type { TRunProgress } from "@/lib/runs/progress";
import { SLOW_CALL_MS } from "@/lib/runs/retry-activity";
import { filterForPeople } from "@/lib/judgments/filters";
import { useRouter } from "next/navigation";
import { useControlRun, useRunProgress, useStartRuns } from "./use-runs";

function Stat({ label, value, note, testId }: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {note && <dd className="text-xs text-amber-700 tabular-nums">{note}</dd>}
    </div>
  );
}

const clockTime = (iso: string) => new Date(iso).toISOString().slice(11, 19);
const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms / 1000));
const plural = (n: number, one: string, many: string) => `${formatInt(n)} ${n === 1 ? one : many}`;

/** What the run's calls are doing while nothing is recorded: waiting to be retried, or out for long. */
function CallActivity({ calls }: { calls: NonNullable<TRunProgress["calls"]> }) {
  const pressing = calls.waiting > 0 || calls.slow > 0;
  const parts: string[] = [];
  if (calls.waiting > 0) parts.push(`${plural(calls.waiting, "call waits", "calls wait")} to be tried again`);
  if (calls.slow > 0) parts.push(`${plural(calls.slow, "request has", "requests have")} been out for over ${seconds(SLOW_CALL_MS)} (the oldest ${seconds(calls.oldestMs ?? 0)}): the endpoint is slow to answer`);
  if (calls.last) {
    const kind = ERROR_KIND_LABEL[calls.last.kind as keyof typeof ERROR_KIND_LABEL] ?? calls.last.kind;
    parts.push(`${plural(calls.retried, "retry", "retries")} so far; the latest at ${clockTime(calls.last.at)} UTC after ${kind} (${calls.last.message}), waiting ${seconds(calls.last.waitMs)}`);
  }
  // Read out when the state changes, not on every poll: the figures change each second.
  const state = calls.waiting > 0 ? "Calls are waiting to be tried again." : calls.slow > 0 ? "The endpoint is slow to answer." : "";
  return (
    <>
      <p className="sr-only" role="status">
        {state}
      </p>
      <p className={`mt-3 rounded-md px-4 py-3 ${pressing ? "bg-amber-50 text-amber-900" : "bg-slate-100 text-slate-700"}`} data-testid="run-calls">
        {parts.join(" · ")}. An item is recorded as failed only once the judge&apos;s retries are spent.
      </p>
    </>
  );
}

/** Items per second, and how many of them failed when any did. */
const rate = (perSecond: number | null) => (perSecond === null ? "—" : `${perSecond.toFixed(1)} /s`);
const failedNote = (all: number | null, failed: number | null) =>
  all === null || failed === null || failed === 0 ? undefined : failed >= all ? "all failed" : `${failed.toFixed(1)} /s of them failed`;

const button = "rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-60";

/** The current time, ticking each second, once mounted (null while rendering on the server). */
function useNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const first = setTimeout(() => setNow(Date.now()), 0);
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, []);
  return now;
}

export function RunLive({ initial, canControl }: { initial: TRunProgress; canControl: boolean }) {
  const { data: run, isError, error } = useRunProgress(initial.id, initial);
  const control = useControlRun(run.id);
  const again = useStartRuns();
  // Its failed items that no later run has judged since (a later run's judgment replaces the
  // failure, and the item's errors are then that run's): what "judge again" would take.
  const stillFailed = run.errors.filter((e) => e.kind !== "unparseable").reduce((n, e) => n + e.count, 0);
  const router = useRouter();
  const now = useNow();
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  // Running time: paused and failed stretches left out (the server says which they were).
  const elapsed =
    run.startedAt && end !== null
      ? runningSeconds(new Date(run.startedAt), new Date(end), { stoppedMs: run.stoppedMs, stoppedSince: run.stoppedSince ? new Date(run.stoppedSince) : null })
      : null;
  const settings = Object.entries(run.settings)
    .filter(([k]) => k !== "templateVersion")
    .sort(([a], [b]) => a.localeCompare(b));
  const finished = ["completed", "failed", "cancelled"].includes(run.status);

  return (
    <div>
      <div className="flex flex-wrap items-center gap-3">
        <RunStatusBadge status={run.status} failed={run.failed} />
        <span className="text-slate-600">
          {run.judge.name}
          {run.judge.sizeLabel && ` (${run.judge.sizeLabel})`} on {run.dataset.name}
        </span>
        {canControl && (
          <div className="ml-auto flex gap-2">
            {(run.status === "running" || run.status === "queued") && (
              <button type="button" className={button} disabled={control.isPending} onClick={() => control.mutate("pause")}>
                Pause
              </button>
            )}
            {(run.status === "paused" || run.status === "failed") && (
              <button type="button" className={button} disabled={control.isPending} onClick={() => control.mutate("resume")}>
                Resume
              </button>
            )}
            {run.status === "completed" && stillFailed > 0 && (
              <button
                type="button"
                className={button}
                disabled={again.isPending}
                // A new run over the same items: what has a verdict is skipped, failed items are judged again.
                onClick={() => again.mutate({ datasetId: run.dataset.id, judgeIds: [run.judge.id], filter: run.filter, force: false, samples: run.samples }, { onSuccess: (runs) => router.push(`/runs/${runs[0]!.id}`) })}
              >
                {/* With several samples per item the failures are judgments (an item may fail in one sample and not another). */}
                {run.samples > 1
                  ? `Judge the ${formatInt(stillFailed)} failed ${stillFailed === 1 ? "judgment" : "judgments"} again`
                  : stillFailed === 1
                    ? "Judge the failed item again"
                    : `Judge the ${formatInt(stillFailed)} failed items again`}
              </button>
            )}
            {["queued", "running", "paused", "failed"].includes(run.status) && (
              <button
                type="button"
                className={`${button} text-red-700`}
                disabled={control.isPending}
                onClick={() => window.confirm("Cancel this run? Judgments made so far are kept.") && control.mutate("cancel")}
              >
                Cancel
              </button>
            )}
          </div>
        )}
      </div>
      {(control.error ?? again.error) && (
        <p role="alert" className="mt-2 text-red-700">
          {(control.error ?? again.error)!.message}
        </p>
      )}
      {isError && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          Could not refresh: {error.message}
        </p>
      )}
      {run.error && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-4 py-3 text-red-800" data-testid="run-error">
          {run.error}
        </p>
      )}
      {(run.status === "queued" || run.status === "running") && run.workersOnline === 0 && (
        <p className="mt-3 rounded-md bg-amber-50 px-4 py-3 text-amber-900" role="status">
          No worker is running, so nothing is being judged. Start one with <code className="rounded bg-amber-100 px-1">npm run worker</code> (the studio starts one itself with the embedded
          database or in demo mode).
        </p>
      )}

      {run.calls && <CallActivity calls={run.calls} />}
      {run.softless && run.softless.noLogprobs > 0 && (
        <p className="mt-3 rounded-md bg-amber-50 px-4 py-3 text-amber-900" role="status" data-testid="run-softless">
          {formatInt(run.softless.noLogprobs)} of the latest {formatInt(run.softless.latest)} verdicts came without log-probabilities, so without a soft reward: the
          endpoint ignored the request for <code className="rounded bg-amber-100 px-1">top_logprobs</code> (vLLM needs{" "}
          <code className="rounded bg-amber-100 px-1">--max-logprobs</code> at least the judge&apos;s <code className="rounded bg-amber-100 px-1">top_logprobs</code>; some
          servers return none). Fix the endpoint, then start a new run of this judge with &ldquo;Judge again what this judge already judged&rdquo; ticked.
        </p>
      )}
      {run.softless && run.softless.offPosition > 0 && (
        <p className="mt-3 rounded-md bg-amber-50 px-4 py-3 text-amber-900" role="status" data-testid="run-off-position">
          {formatInt(run.softless.offPosition)} of the latest {formatInt(run.softless.latest)} verdicts have log-probabilities but no soft reward: the scored token&apos;s
          alternatives hold neither YES nor NO, so the verdict was not the first token generated (a thinking block or markdown before it). Set the judge&apos;s
          &ldquo;Probabilities from&rdquo; to the first token that reads YES or NO, then judge again.
        </p>
      )}

      <div className="mt-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <ProgressBar done={run.done} failed={run.failed} total={run.total} />
        <p className="mt-2 text-sm text-slate-700 tabular-nums" data-testid="run-counts">
          {formatInt(run.done)} judged · {formatInt(run.failed)} failed · {formatInt(run.remaining)} remaining of {formatInt(run.total)}
          {run.unparseable > 0 && ` · ${formatInt(run.unparseable)} unparseable verdicts`}
          {run.skipped > 0 && ` · ${formatInt(run.skipped)} already judged, skipped`}
        </p>
      </div>

      <dl className="mt-4 grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
        <Stat label="Throughput (last 20 s)" value={rate(run.throughput)} note={failedNote(run.throughput, run.throughputFailed)} testId="run-throughput" />
        <Stat label="Average" value={rate(run.averageThroughput)} note={failedNote(run.averageThroughput, run.averageFailed)} testId="run-average" />
        <Stat label="ETA" value={run.status === "completed" ? "done" : formatDuration(run.etaSeconds)} testId="run-eta" />
        <Stat label="Elapsed" value={formatDuration(elapsed)} />
        <Stat label="Prompt tokens" value={formatInt(run.promptTokens)} testId="run-prompt-tokens" />
        <Stat label="Completion tokens" value={formatInt(run.completionTokens)} />
      </dl>

      <section className="mt-6">
        <h2 className="font-semibold">Errors by kind</h2>
        {run.errors.length === 0 ? (
          <p className="mt-2 text-slate-600">{finished ? "None." : "None so far."}</p>
        ) : (
          <ul className="mt-2 space-y-3" data-testid="run-errors">
            {run.errors.map((e) => (
              <li key={e.kind} className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
                <p className="font-medium">
                  {ERROR_KIND_LABEL[e.kind as keyof typeof ERROR_KIND_LABEL] ?? e.kind} <span className="text-slate-500 tabular-nums">· {formatInt(e.count)}</span>
                </p>
                <ul className="mt-1 space-y-1 text-sm">
                  {e.examples.map((x) => (
                    <li key={`${x.responseId}:${x.sample}`} className="flex gap-2">
                      <Link href={`/judgments?dataset=${run.dataset.id}&item=${x.responseId}`} className="shrink-0 text-blue-700 hover:underline">
                        response {x.responseId}
                        {run.samples > 1 && `, sample ${x.sample}`}
                      </Link>
                      <span className="break-all text-slate-700">
                        {x.error}
                        {x.rawOutput && <span className="text-slate-500"> — reply: “{x.rawOutput}”</span>}
                      </span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="mt-6">
        <h2 className="font-semibold">Settings of this run</h2>
        <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 rounded-lg bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200 md:grid-cols-3" data-testid="run-settings">
          <Item label="Template version" value={run.templateVersion || "—"} />
          <Item label="Items" value={run.filter ? `filter ${filterForPeople(run.filter)}` : "the whole dataset"} />
          <Item label="Forced (re-judge existing)" value={run.force ? "yes" : "no"} />
          <Item label="Samples per item" value={run.samples === 1 ? "1" : `${run.samples} (the counts above are of judgments)`} />
          <Item label="Started from" value={`${run.source}${run.createdBy ? ` by ${run.createdBy}` : ""}`} />
          <Item label="Created (UTC)" value={formatWhen(run.createdAt)} />
          <Item label="Finished (UTC)" value={formatWhen(run.finishedAt)} />
          {settings.map(([k, v]) => (
            <Item key={k} label={settingLabel(k)} value={typeof v === "object" ? JSON.stringify(v) : String(v)} />
          ))}
        </dl>
      </section>
      <p className="mt-4">
        <Link href={`/judgments?dataset=${run.dataset.id}`} className="text-blue-700 hover:underline">
          See the judgments of {run.dataset.name} →
        </Link>
      </p>
    </div>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-mono text-xs break-all">{value}</dd>
    </div>
  );
}
