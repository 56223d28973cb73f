import type { TJudgmentFilters } from "@/lib/judgments/filters";
import { countJudgments, type TJudgeColumn } from "@/lib/judgments/queries";
import { formatInt } from "@/components/ui/format";

/** The number of responses a filter selects (a server component streamed after the page). */
export async function MatchCount({ filters, columns }: { filters: TJudgmentFilters; columns: TJudgeColumn[] }) {
  const total = await countJudgments(filters, columns);
  return (
    <p className="text-slate-600" data-testid="match-count">
      {formatInt(total)} {total === 1 ? "response matches" : "responses match"}
    </p>
  );
}
