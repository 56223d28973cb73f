// Small, consistent marks for verdicts and expert labels. Color is never the only signal: each
// badge carries its word.
import { formatInt } from "./format";

const VERDICT_STYLE: Record<string, string> = {
  YES: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  NO: "bg-rose-50 text-rose-800 ring-rose-200",
  UNPARSEABLE: "bg-amber-50 text-amber-900 ring-amber-300",
};

export function VerdictBadge({ verdict, error }: { verdict: string | null; error?: string | null }) {
  if (!verdict) {
    return error ? (
      <span className="rounded px-1.5 py-0.5 text-xs text-red-700 ring-1 ring-red-200" title={error}>
        error
      </span>
    ) : (
      <span className="text-xs text-slate-400">—</span>
    );
  }
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${VERDICT_STYLE[verdict] ?? ""}`} title={error ?? undefined}>
      {verdict === "UNPARSEABLE" ? "unparseable" : verdict}
    </span>
  );
}

const LABEL_STYLE: Record<string, string> = {
  correct: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  incorrect: "bg-rose-50 text-rose-800 ring-rose-200",
  unsure: "bg-slate-100 text-slate-700 ring-slate-300",
};

export function LabelBadge({ label }: { label: string | null }) {
  if (!label) return <span className="text-xs text-slate-400">none</span>;
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${LABEL_STYLE[label] ?? ""}`}>{label}</span>;
}

const RUN_STYLE: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700 ring-slate-300",
  running: "bg-blue-50 text-blue-800 ring-blue-200",
  paused: "bg-amber-50 text-amber-900 ring-amber-300",
  completed: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
  cancelled: "bg-slate-100 text-slate-600 ring-slate-300",
};

/** A run's status; a completed run with failed items says so (in words, and amber rather than green). */
export function RunStatusBadge({ status, failed = 0 }: { status: string; failed?: number }) {
  const withFailures = status === "completed" && failed > 0;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${withFailures ? RUN_STYLE.paused : (RUN_STYLE[status] ?? "")}`} data-testid="run-status">
        {status === "running" && <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-blue-600" aria-hidden />}
        {status}
      </span>
      {withFailures && <span className="text-xs text-red-700">with {formatInt(failed)} failed</span>}
    </span>
  );
}
