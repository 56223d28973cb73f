import { formatInt } from "@/components/ui/format";

/** A labeled progress bar: the numbers are always written out, the bar only illustrates them. */
export function ProgressBar({ done, total }: { done: number; total: number }) {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div className="flex items-center gap-2">
      <div className="h-2 flex-1 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label={`${formatInt(done)} of ${formatInt(total)} labels given`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div className="h-full rounded-full bg-blue-600" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="text-xs whitespace-nowrap text-slate-600 tabular-nums">
        {formatInt(done)} / {formatInt(total)}
      </span>
    </div>
  );
}
