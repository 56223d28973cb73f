// Every pair of raters: raw agreement, Cohen's kappa with its 95% interval, and n, in the upper
// triangle of a rater-by-rater matrix. Each cell selects its pair below.
import Link from "next/link";
import type { TPairTable } from "@/lib/stats/contingency";
import { raterKey, type TRaterRef } from "@/lib/stats/sql";
import { ChartCard } from "@/components/charts/chart-card";
import { formatInt, formatInterval, formatPercent, formatScore } from "@/components/ui/format";

type TProps = { datasetId: number; raters: TRaterRef[]; pairs: TPairTable[]; selected: [string, string] | null };

/** Background by kappa, so the matrix reads at a glance (the number is always there too). */
function shade(kappa: number | null) {
  if (kappa === null) return "bg-slate-50";
  if (kappa >= 0.8) return "bg-emerald-100";
  if (kappa >= 0.6) return "bg-emerald-50";
  if (kappa >= 0.4) return "bg-amber-50";
  return "bg-rose-50";
}

export function PairMatrix({ datasetId, raters, pairs, selected }: TProps) {
  const pairOf = (i: number, j: number) => pairs.find((p) => p.a === i && p.b === j);
  const rows = pairs.map((p) => ({
    rater_a: raters[p.a]!.name,
    rater_b: raters[p.b]!.name,
    n: p.n,
    yes_yes: p.yy,
    yes_no: p.yn,
    no_yes: p.ny,
    no_no: p.nn,
    raw_agreement: p.observed,
    chance_agreement: p.expected,
    kappa: p.kappa,
    kappa_se: p.se,
    kappa_ci95_low: p.ciLow,
    kappa_ci95_high: p.ciHigh,
  }));
  return (
    <ChartCard
      title="Agreement between every pair of raters"
      description="Upper triangle: Cohen's kappa with its 95% interval, raw agreement and n (items both answered YES/NO). Pick a cell to see its confusion matrix and breakdowns."
      filename={`agreement-matrix-dataset-${datasetId}`}
      rows={rows}
      isTable
      testId="agreement-matrix"
    >
      <div className="overflow-x-auto">
        <table className="text-left" data-testid="pairs-table">
          <thead>
            <tr>
              <th />
              {raters.slice(1).map((r) => (
                <th key={raterKey(r)} scope="col" className="px-3 py-2 text-xs font-medium text-slate-500">
                  {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {raters.slice(0, -1).map((a, i) => (
              <tr key={raterKey(a)}>
                <th scope="row" className="px-3 py-2 text-right text-xs font-medium whitespace-nowrap text-slate-500">
                  {a.name}
                </th>
                {raters.slice(1).map((b, k) => {
                  const j = k + 1;
                  if (j <= i) return <td key={raterKey(b)} className="border border-slate-100 bg-slate-50/60" />;
                  const p = pairOf(i, j)!;
                  const key = `${raterKey(a)}:${raterKey(b)}`;
                  const isSelected = selected !== null && selected[0] === raterKey(a) && selected[1] === raterKey(b);
                  return (
                    <td key={key} className={`border border-slate-200 p-0 ${shade(p.kappa)} ${isSelected ? "ring-2 ring-blue-600 ring-inset" : ""}`} data-pair={key}>
                      <Link
                        href={`/analytics/agreement?dataset=${datasetId}&a=${raterKey(a)}&b=${raterKey(b)}`}
                        className="block min-w-44 px-3 py-2 hover:bg-white/60"
                        aria-current={isSelected ? "true" : undefined}
                        aria-label={`${a.name} vs ${b.name}: κ ${formatScore(p.kappa)}, 95% interval ${formatInterval(p.ciLow, p.ciHigh)}, ${formatPercent(p.observed)} agree, n ${formatInt(p.n)}`}
                      >
                        <span className="block text-lg font-semibold tabular-nums">
                          κ <span data-field="kappa">{formatScore(p.kappa)}</span>
                        </span>
                        <span className="block text-xs text-slate-600 tabular-nums">{formatInterval(p.ciLow, p.ciHigh)}</span>
                        <span className="mt-1 block text-xs text-slate-600 tabular-nums">
                          <span data-field="observed">{formatPercent(p.observed)}</span> agree · n <span data-field="n">{formatInt(p.n)}</span>
                        </span>
                      </Link>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}
