// A run's progress: judged (green), failed (red), the rest (grey), with the numbers in words so
// colour is never the only signal.
import { formatInt } from "./format";

export function ProgressBar({ done, failed, total, compact = false }: { done: number; failed: number; total: number; compact?: boolean }) {
  const pct = (n: number) => (total > 0 ? Math.min(100, (100 * n) / total) : 0);
  const finished = done + failed;
  // "Judged" as the run page counts it: items with a judgment that is not a failure.
  const label = `${formatInt(done)} of ${formatInt(total)} judged${failed ? `, ${formatInt(failed)} failed` : ""}`;
  return (
    <div className={compact ? "min-w-40" : ""}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={finished}
        aria-valuetext={`${formatInt(finished)} of ${formatInt(total)} done`}
        className={`flex w-full overflow-hidden rounded-full bg-slate-200 ${compact ? "h-1.5" : "h-3"}`}
      >
        <div className="bg-emerald-500 transition-[width] duration-500" style={{ width: `${pct(done)}%` }} />
        <div className="bg-red-500 transition-[width] duration-500" style={{ width: `${pct(failed)}%` }} />
      </div>
      {compact && <p className="mt-0.5 text-xs text-slate-500 tabular-nums">{label}</p>}
    </div>
  );
}
