// Small, consistent marks for verdicts and expert labels. Color is never the only signal: each
// badge carries its word.
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
