// The judgments-list filter that selects exactly the items of one cell of an agreement table:
// rater A answered `aYes`, rater B answered `bYes` (judges by their verdict, the experts by the
// gold label), optionally within one subject, policy model or length bucket (a breakdown row).
// The agreement views link every count through this, and it is the hook for turning a cell into
// a review queue: the queue is made from these filters.
import type { TRaterRef } from "@/lib/stats/sql";
import type { TJudgmentFilters } from "./filters";

export type TCellScope = Pick<TJudgmentFilters, "subject" | "model" | "len">;

function answerFilter(rater: TRaterRef, isYes: boolean): Partial<TJudgmentFilters> {
  return rater.kind === "expert"
    ? { label: isYes ? "correct" : "incorrect" }
    : { verdict: [{ judgeId: rater.id, verdict: isYes ? "YES" : "NO" }] };
}

export function cellFilters(datasetId: number, a: TRaterRef, b: TRaterRef, aYes: boolean, bYes: boolean, scope: TCellScope = {}): TJudgmentFilters {
  const fa = answerFilter(a, aYes);
  const fb = answerFilter(b, bYes);
  return {
    dataset: datasetId,
    verdict: [...(fa.verdict ?? []), ...(fb.verdict ?? [])],
    label: fa.label ?? fb.label,
    q: undefined,
    ...scope,
  };
}
