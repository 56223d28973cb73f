import type { TJudgmentFilters } from "@/lib/judgments/filters";
import { countJudgmentsWithin, type TJudgeColumn } from "@/lib/judgments/queries";
import { formatInt } from "@/components/ui/format";

/** Counting stops here: the list itself never waits for its count. */
const COUNT_BUDGET_MS = 5000;

/** The number of responses a filter selects (a server component streamed after the page). */
export async function MatchCount({ filters, columns }: { filters: TJudgmentFilters; columns: TJudgeColumn[] }) {
  const total = await countJudgmentsWithin(filters, columns, COUNT_BUDGET_MS);
  if (total === null) {
    return (
      <p className="text-slate-600" data-testid="match-count">
        Too many to count in {COUNT_BUDGET_MS / 1000} s: narrow the filters for a count
      </p>
    );
  }
  return (
    <p className="text-slate-600" data-testid="match-count">
      {formatInt(total)} {total === 1 ? "response matches" : "responses match"}
    </p>
  );
}
