import Link from "next/link";
import { judgmentFiltersToParams } from "@/lib/judgments/filters";
import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/session";
import { judgeCalibration } from "@/lib/stats/calibration-queries";
import { datasetFacets } from "@/lib/stats/overview-queries";
import { analyticsScope, judgeName, param, type TSearch } from "@/lib/stats/scope";
import { freshness } from "@/lib/stats/snapshot";
import { withinBudget } from "@/lib/stats/budget";
import { judgesKey } from "@/lib/stats/sql";
import { warmAfterResponse } from "@/lib/stats/warm";
import { ChartCard } from "@/components/charts/chart-card";
import { LinesChart, ReliabilityChart } from "@/components/charts/charts";
import { formatInt, formatPercent, formatScore } from "@/components/ui/format";
import { EmptyView, NoDatasets } from "../_components/empty";
import { Pickers, Stat } from "../_components/pickers";
import { ViewHeader } from "../_components/view-header";

export const metadata: Metadata = { title: "Calibration" };

const PATH = "/analytics/calibration";

export default async function CalibrationPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("viewer");
  const search = await searchParams;
  const scope = await analyticsScope(search, PATH);
  if (!scope) return <NoDatasets title="Calibration" />;
  warmAfterResponse(scope);
  const { dataset, datasets, judges } = scope;
  if (judges.length === 0) {
    return (
      <main>
        <ViewHeader title="Calibration" outside={scope.outside} path={PATH} datasetId={dataset.id} datasets={datasets} />
        <EmptyView>This dataset has no judgments yet.</EmptyView>
      </main>
    );
  }
  const asked = judges.find((j) => String(j.id) === param(search, "judge"));
  const facets = await datasetFacets(dataset.id);
  const subject = facets.value.subjects.includes(param(search, "subject") ?? "\u0000") ? param(search, "subject") : undefined;
  const {
    value: { judge, result },
    updating,
  } = await withinBudget(`${PATH}:${dataset.id}:${judgesKey(judges)}:${asked?.id ?? ""}:${subject ?? ""}`, async () => {
    let judge = asked ?? judges[0]!;
    let result = await judgeCalibration(dataset.id, judge, subject);
    // Unasked, the first judge that can be calibrated here (one that gives soft rewards), not an empty view.
    for (const other of asked ? [] : judges.slice(1)) {
      if (result.value.n > 0) break;
      const r = await judgeCalibration(dataset.id, other, subject);
      if (r.value.n > 0) [judge, result] = [other, r];
    }
    return { judge, result };
  });
  const c = result.value;
  const best = c.sweep.reduce((a, p) => ((p.f1 ?? -1) > (a.f1 ?? -1) ? p : a), c.sweep[0]!);
  const at = (t: number) => c.sweep.find((p) => p.threshold === t);
  const bins = c.bins.map((b) => ({ bin: `${b.low.toFixed(1)}–${b.high.toFixed(1)}`, predicted: b.meanP, observed: b.observed, count: b.n, low: b.low, high: b.high }));
  // A bin's items in the judgments list: the same band of this judge's soft reward, on the items with a gold label (what the bin counts).
  const binHref = (lo: number, hi: number) =>
    `/judgments?${judgmentFiltersToParams({ dataset: dataset.id, reward: { judgeId: judge.id, lo, hi }, label: "decided", subject }).toString()}`;

  return (
    <main className="space-y-6">
      <ViewHeader title="Calibration" outside={scope.outside} path={PATH} datasetId={dataset.id} datasets={datasets} {...freshness(result)} updating={updating}>
        Does a judge&apos;s soft reward mean what it says? Among the responses it gives a soft reward ≈ 0.7, about 70% should be correct by the
        experts&apos; gold label. Scored on the responses that have a soft reward and a correct/incorrect gold label.
      </ViewHeader>
      <Pickers
        path={PATH}
        hidden={{ dataset: String(dataset.id) }}
        pickers={[
          { name: "judge", label: "Judge", value: String(judge.id), options: judges.map((j) => ({ value: String(j.id), label: judgeName(j) })) },
          { name: "subject", label: "Subject", value: subject ?? "", options: [{ value: "", label: "all subjects" }, ...facets.value.subjects.map((s) => ({ value: s, label: s }))] },
        ]}
      />
      {c.n === 0 ? (
        <EmptyView>
          {judgeName(judge)} has no soft reward on a response with an expert gold label{subject ? ` in ${subject}` : ""}: calibration needs both.
        </EmptyView>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="calibration-stats">
            <Stat label="Scored responses" value={formatInt(c.n)} />
            <Stat label="ECE (10 bins)" value={formatScore(c.ece, 4)} hint="0 = calibrated" testId="ece" />
            <Stat label="Brier score" value={formatScore(c.brier, 4)} hint="mean (soft reward − correct)²" testId="brier" />
            <Stat label="Best F1 threshold" value={best.threshold.toFixed(2)} hint={`F1 ${formatScore(best.f1)}; at 0.50: ${formatScore(at(0.5)?.f1)}`} />
          </div>
          <div className="grid gap-4 xl:grid-cols-2">
            <ChartCard
              title="Reliability diagram"
              description="Per bin of soft reward: the mean soft reward (dashed) and the share the experts call correct (solid); bars count the items."
              filename={`reliability-judge-${judge.id}-dataset-${dataset.id}`}
              rows={c.bins.map((b) => ({ bin_low: b.low, bin_high: b.high, items: b.n, mean_p_yes: b.meanP, share_correct: b.observed }))}
              testId="reliability-chart"
            >
              <ReliabilityChart data={bins} />
            </ChartCard>
            <ChartCard
              title="Threshold sweep"
              description="The judge says YES when its soft reward ≥ threshold: accuracy and F1 against the experts at each threshold (dashed: best F1)."
              filename={`threshold-sweep-judge-${judge.id}-dataset-${dataset.id}`}
              rows={c.sweep.map((p) => ({ threshold: p.threshold, tp: p.tp, fp: p.fp, fn: p.fn, tn: p.tn, accuracy: p.accuracy, f1: p.f1 }))}
              testId="sweep-chart"
            >
              <LinesChart
                data={c.sweep.map((p) => ({ threshold: p.threshold, accuracy: p.accuracy, f1: p.f1 }))}
                x="threshold"
                xLabel="threshold on the soft reward"
                series={[
                  { key: "accuracy", name: "accuracy" },
                  { key: "f1", name: "F1" },
                ]}
                marker={best.threshold}
              />
            </ChartCard>
          </div>
          <ChartCard
            title="Bins"
            description="Each bin's items open in the judgments list."
            filename={`calibration-bins-judge-${judge.id}-dataset-${dataset.id}`}
            rows={bins.map(({ bin, predicted, observed, count }) => ({ bin, predicted, observed, count }))}
            isTable
          >
            <table className="w-full max-w-2xl text-left text-sm">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="py-1.5 pr-3 font-medium">Soft reward</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Items</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Mean soft reward</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Share correct</th>
                  <th className="py-1.5 text-right font-medium">Gap</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {bins.map((b) => (
                  <tr key={b.bin}>
                    <td className="py-1.5 pr-3 tabular-nums">{b.bin}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">
                      {b.count > 0 ? (
                        <Link href={binHref(b.low, b.high)} className="text-blue-700 hover:underline" data-testid={`bin-items-${b.bin}`}>
                          {formatInt(b.count)}
                        </Link>
                      ) : (
                        formatInt(b.count)
                      )}
                    </td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatScore(b.predicted)}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatPercent(b.observed)}</td>
                    <td className="py-1.5 text-right tabular-nums">{b.predicted === null || b.observed === null ? "—" : (b.observed - b.predicted).toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ChartCard>
        </>
      )}
    </main>
  );
}
