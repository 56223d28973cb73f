// One pair's agreement within each subject, policy model or response-length bucket: kappa with
// its interval as a chart, and a table whose disagreement counts open those items.
import Link from "next/link";
import type { TBreakdownDimension, TBreakdownRow } from "@/lib/stats/agreement-queries";
import { judgmentFiltersToParams, type TRater } from "@/lib/judgments/filters";
import type { TCellScope } from "@/lib/judgments/cell-filters";
import { LENGTH_BUCKETS } from "@/lib/stats/length-buckets";
import { raterKey, type TRaterRef } from "@/lib/stats/sql";
import { ChartCard } from "@/components/charts/chart-card";
import { IntervalBarsChart } from "@/components/charts/charts";
import { formatInt, formatInterval, formatPercent, formatScore } from "@/components/ui/format";

export const DIMENSION_LABEL: Record<TBreakdownDimension, string> = { subject: "Subject", policyModel: "Policy model", length: "Response length" };

const toRater = (r: TRaterRef): TRater => (r.kind === "expert" ? { kind: "expert" } : { kind: "judge", judgeId: r.id });

/** The label of a group, and the list filter that selects it (none for "no subject"/"no policy model"). */
function group(row: TBreakdownRow): { label: string; scope: TCellScope | null; order: number } {
  if (row.dimension === "length") {
    const bucket = LENGTH_BUCKETS[Number(row.value)]!;
    return { label: bucket.label, scope: { len: bucket.key }, order: bucket.index };
  }
  if (row.value === null || row.value === "") return { label: row.dimension === "subject" ? "(no subject)" : "(no policy model)", scope: null, order: 0 };
  return { label: row.value, scope: row.dimension === "subject" ? { subject: row.value } : { model: row.value }, order: 0 };
}

type TProps = { datasetId: number; a: TRaterRef; b: TRaterRef; by: TBreakdownDimension; rows: TBreakdownRow[] };

export function Breakdown({ datasetId, a, b, by, rows }: TProps) {
  const shown = rows
    .filter((r) => r.dimension === by)
    .map((r) => ({ ...r, ...group(r) }))
    .sort((x, y) => (by === "length" ? x.order - y.order : y.n - x.n));
  const tabs = (Object.keys(DIMENSION_LABEL) as TBreakdownDimension[]).map((d) => (
    <Link
      key={d}
      href={`/analytics/agreement?dataset=${datasetId}&a=${raterKey(a)}&b=${raterKey(b)}&by=${d}`}
      aria-current={d === by ? "true" : undefined}
      className={`rounded px-2 py-1 text-sm ${d === by ? "bg-slate-900 text-white" : "text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50"}`}
    >
      {DIMENSION_LABEL[d]}
    </Link>
  ));
  const disagreements = (scope: TCellScope) =>
    `/judgments?${judgmentFiltersToParams({ dataset: datasetId, verdict: [], disagree: [toRater(a), toRater(b)], ...scope }).toString()}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Break down by">
        <span className="text-sm text-slate-500">Break down by</span>
        {tabs}
      </div>
      {shown.length === 0 ? (
        <p className="text-slate-600">No items that both raters answered.</p>
      ) : (
        <div className="grid gap-4 xl:grid-cols-2">
          <ChartCard
            title={`Kappa by ${DIMENSION_LABEL[by].toLowerCase()}`}
            description="Bars: Cohen's kappa; whiskers: its 95% interval."
            filename={`kappa-by-${by}-dataset-${datasetId}`}
            rows={shown.map((r) => ({ group: r.label, n: r.n, kappa: r.kappa, ci95_low: r.ciLow, ci95_high: r.ciHigh, raw_agreement: r.observed }))}
            testId="breakdown-chart"
          >
            <IntervalBarsChart data={shown.slice(0, 40).map((r) => ({ group: r.label, value: r.kappa, low: r.ciLow, high: r.ciHigh }))} />
            {shown.length > 40 && <p className="mt-2 text-xs text-slate-500">The 40 largest groups are drawn; the CSV has all {shown.length}.</p>}
          </ChartCard>
          <ChartCard
            title={`Agreement by ${DIMENSION_LABEL[by].toLowerCase()}`}
            filename={`agreement-by-${by}-dataset-${datasetId}`}
            rows={shown.map((r) => ({ group: r.label, n: r.n, yes_yes: r.yy, yes_no: r.yn, no_yes: r.ny, no_no: r.nn, raw_agreement: r.observed, kappa: r.kappa, ci95_low: r.ciLow, ci95_high: r.ciHigh }))}
            isTable
            testId="breakdown-table"
          >
            <div className="max-h-[32rem] overflow-y-auto">
              <table className="w-full text-left text-sm">
                <thead className="sticky top-0 bg-white text-xs text-slate-500 uppercase">
                  <tr>
                    <th className="py-1.5 pr-3 font-medium">{DIMENSION_LABEL[by]}</th>
                    <th className="py-1.5 pr-3 text-right font-medium">n</th>
                    <th className="py-1.5 pr-3 text-right font-medium">Agree</th>
                    <th className="py-1.5 pr-3 text-right font-medium">Kappa</th>
                    <th className="py-1.5 pr-3 text-right font-medium">95% interval</th>
                    <th className="py-1.5 text-right font-medium">Disagree</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {shown.map((r) => (
                    <tr key={r.label} data-group={r.label}>
                      <td className="py-1.5 pr-3">{r.label}</td>
                      <td className="py-1.5 pr-3 text-right tabular-nums">{formatInt(r.n)}</td>
                      <td className="py-1.5 pr-3 text-right tabular-nums">{formatPercent(r.observed)}</td>
                      <td className="py-1.5 pr-3 text-right font-medium tabular-nums">{formatScore(r.kappa)}</td>
                      <td className="py-1.5 pr-3 text-right text-slate-500 tabular-nums">{formatInterval(r.ciLow, r.ciHigh)}</td>
                      <td className="py-1.5 text-right tabular-nums">
                        {r.scope ? (
                          <Link href={disagreements(r.scope)} className="text-blue-700 hover:underline">
                            {formatInt(r.yn + r.ny)}
                          </Link>
                        ) : (
                          formatInt(r.yn + r.ny)
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </ChartCard>
        </div>
      )}
    </div>
  );
}
