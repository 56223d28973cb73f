// The judges' verdicts and scores for an item, or, in a blind queue before the expert labeled,
// a note that they are hidden (the server has not sent them).
import { VerdictBadge } from "@/components/ui/badges";
import { formatScore } from "@/components/ui/format";
import type { TReviewJudgment } from "@/lib/review/items";

export function JudgesPanel({ judgments }: { judgments: TReviewJudgment[] | null }) {
  if (judgments === null) {
    return (
      <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600" data-testid="judges-hidden">
        Blind queue: the judges&apos; verdicts and scores appear once you have labeled this item.
      </p>
    );
  }
  if (judgments.length === 0) return <p className="text-sm text-slate-500">No judge has judged this response.</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="judges-shown">
      {judgments.map((j) => (
        <li key={j.judge} className="flex items-center gap-2">
          <span className="min-w-0 flex-1 truncate">{j.judge}</span>
          <VerdictBadge verdict={j.verdict} error={j.error} />
          <span className="w-20 text-right text-xs text-slate-500 tabular-nums" title="P(YES)">
            P(YES) {formatScore(j.pYes, 2)}
          </span>
        </li>
      ))}
    </ul>
  );
}
