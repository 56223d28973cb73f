// The 2x2 table of one pair. Every count opens exactly its items in the judgments list
// (lib/judgments/cell-filters.ts); the same filters are what a review queue of a cell is made from.
import Link from "next/link";
import { cellFilters } from "@/lib/judgments/cell-filters";
import { judgmentFiltersToParams } from "@/lib/judgments/filters";
import type { TPairAgreement } from "@/lib/stats/agreement-queries";
import type { TRaterRef } from "@/lib/stats/sql";
import { ChartCard } from "@/components/charts/chart-card";
import { formatInt, formatInterval, formatPercent, formatScore } from "@/components/ui/format";

type TProps = { datasetId: number; a: TRaterRef; b: TRaterRef; result: TPairAgreement };

const yes = (r: TRaterRef) => (r.kind === "expert" ? "correct" : "YES");
const no = (r: TRaterRef) => (r.kind === "expert" ? "incorrect" : "NO");

export function ConfusionMatrix({ datasetId, a, b, result }: TProps) {
  const href = (aYes: boolean, bYes: boolean) => `/judgments?${judgmentFiltersToParams(cellFilters(datasetId, a, b, aYes, bYes)).toString()}`;
  const cell = (count: number, aYes: boolean, bYes: boolean, testId: string) => (
    <td className={`border border-slate-200 px-5 py-3 text-center text-lg tabular-nums ${aYes === bYes ? "bg-emerald-50/60" : "bg-rose-50/60"}`}>
      <Link href={href(aYes, bYes)} className="text-blue-700 hover:underline" data-testid={testId} title={`Open these ${formatInt(count)} responses in the judgments list`}>
        {formatInt(count)}
      </Link>
    </td>
  );
  const rows = [
    { [a.name]: yes(a), [b.name]: yes(b), count: result.yy },
    { [a.name]: yes(a), [b.name]: no(b), count: result.yn },
    { [a.name]: no(a), [b.name]: yes(b), count: result.ny },
    { [a.name]: no(a), [b.name]: no(b), count: result.nn },
  ];
  return (
    <ChartCard
      title={`${a.name} vs ${b.name}`}
      description="Rows: the first rater; columns: the second. Each count opens exactly those responses in the judgments list."
      filename={`confusion-dataset-${datasetId}`}
      rows={rows}
      isTable
      testId="confusion-card"
    >
      <div className="flex flex-wrap gap-10">
        <table data-testid="confusion-matrix">
          <thead>
            <tr>
              <th />
              <th className="px-4 py-2 text-xs font-medium text-slate-500">{b.name}: {yes(b)}</th>
              <th className="px-4 py-2 text-xs font-medium text-slate-500">{b.name}: {no(b)}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th className="px-4 py-2 text-right text-xs font-medium text-slate-500">{a.name}: {yes(a)}</th>
              {cell(result.yy, true, true, "cell-yy")}
              {cell(result.yn, true, false, "cell-yn")}
            </tr>
            <tr>
              <th className="px-4 py-2 text-right text-xs font-medium text-slate-500">{a.name}: {no(a)}</th>
              {cell(result.ny, false, true, "cell-ny")}
              {cell(result.nn, false, false, "cell-nn")}
            </tr>
          </tbody>
        </table>
        <dl className="grid grid-cols-[auto_auto] gap-x-6 gap-y-1.5 self-start" data-testid="pair-stats">
          <dt className="text-slate-500">Both answered (n)</dt>
          <dd className="tabular-nums">{formatInt(result.n)}</dd>
          <dt className="text-slate-500">Raw agreement</dt>
          <dd className="tabular-nums">{formatPercent(result.observed, 2)}</dd>
          <dt className="text-slate-500">Chance agreement</dt>
          <dd className="tabular-nums">{formatPercent(result.expected, 2)}</dd>
          <dt className="text-slate-500">Cohen&apos;s kappa</dt>
          <dd className="font-semibold tabular-nums">{formatScore(result.kappa, 4)}</dd>
          <dt className="text-slate-500">Standard error</dt>
          <dd className="tabular-nums">{formatScore(result.se, 4)}</dd>
          <dt className="text-slate-500">95% interval</dt>
          <dd className="tabular-nums">{formatInterval(result.ciLow, result.ciHigh, 4)}</dd>
          <dt className="text-slate-500">{a.name} answered</dt>
          <dd className="tabular-nums">{formatInt(result.answeredA)}</dd>
          <dt className="text-slate-500">{b.name} answered</dt>
          <dd className="tabular-nums">{formatInt(result.answeredB)}</dd>
        </dl>
      </div>
    </ChartCard>
  );
}
