import Link from "next/link";
import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { CALIBRATION_BINS } from "@/lib/stats/calibration";
import { judgeConsistency } from "@/lib/stats/consistency-queries";
import { analyticsScope, judgeName, type TSearch } from "@/lib/stats/scope";
import { freshness } from "@/lib/stats/snapshot";
import { withinBudget } from "@/lib/stats/budget";
import { judgesKey } from "@/lib/stats/sql";
import { warmAfterResponse } from "@/lib/stats/warm";
import { ChartCard } from "@/components/charts/chart-card";
import { BarsChart } from "@/components/charts/charts";
import { formatInt, formatPercent } from "@/components/ui/format";
import { EmptyView, NoDatasets } from "../_components/empty";
import { ViewHeader } from "../_components/view-header";

export const metadata: Metadata = { title: "Self-consistency" };

const PATH = "/analytics/consistency";

export default async function ConsistencyPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const user = await requirePageRole("viewer");
  const scope = await analyticsScope(await searchParams, PATH);
  if (!scope) return <NoDatasets title="Self-consistency" />;
  warmAfterResponse(scope);
  const { dataset, datasets, judges } = scope;
  const { value: result, updating } = await withinBudget(`${PATH}:${dataset.id}:${judgesKey(judges)}`, () => judgeConsistency(dataset.id, judges));
  const sampled = result.value.filter((c) => c.items > 0);
  const binLabel = (bin: number) => `${(bin / CALIBRATION_BINS).toFixed(1)}–${((bin + 1) / CALIBRATION_BINS).toFixed(1)}`;
  const binOf = (judgeId: number, bin: number) => sampled.find((c) => c.judgeId === judgeId)?.byBin.find((b) => b.bin === bin);
  const rateOf = (judgeId: number, bin: number) => binOf(judgeId, bin)?.flipRate ?? null;
  // Items sampled whose first sample has a soft reward: without any, the chart has nothing to split by.
  const binned = sampled.some((c) => c.byBin.some((b) => b.bin !== null && b.items > 0));
  const bins = Array.from({ length: CALIBRATION_BINS }, (_, bin) => ({
    bin: binLabel(bin),
    ...Object.fromEntries(sampled.map((c) => [`j${c.judgeId}`, rateOf(c.judgeId, bin)])),
  }));

  return (
    <main className="space-y-6">
      <ViewHeader title="Self-consistency" path={PATH} datasetId={dataset.id} datasets={datasets} {...freshness(result)} updating={updating}>
        A judge sampled several times on the same response should answer the same way. An item flips when its samples contain both YES
        and NO; the pairwise disagreement is the share of sample pairs that differ. Unparseable replies and failed calls are left out.
      </ViewHeader>
      {sampled.length === 0 ? (
        <EmptyView>
          No judge was sampled more than once on a response of this dataset (judgments with sample 1, 2, …). {hasRole(user.role, "researcher") ? "Start" : "A researcher can start"} a
          run with several{" "}
          {hasRole(user.role, "researcher") ? (
            <Link href={`/runs/new?dataset=${dataset.id}`} className="text-blue-700 hover:underline">
              samples per item
            </Link>
          ) : (
            "samples per item"
          )}{" "}
          (a judge at a temperature above 0), or import a judge&apos;s repeated samples with a <code>judge_sample</code> column (0, 1, 2, … per response), beside{" "}
          <code>judge</code> and <code>verdict</code>.
        </EmptyView>
      ) : (
        <>
          <ChartCard
            title="Per judge"
            filename={`self-consistency-dataset-${dataset.id}`}
            rows={result.value.map((c) => ({ judge: judgeName(judges.find((j) => j.id === c.judgeId)!), items: c.items, max_samples: c.maxSamples, flipped: c.flipped, flip_rate: c.flipRate, pairwise_disagreement: c.pairwiseDisagreement }))}
            isTable
            testId="consistency-table"
          >
            <table className="w-full max-w-4xl text-left">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="py-2 pr-3 font-medium">Judge</th>
                  <th className="py-2 pr-3 text-right font-medium">Items sampled 2+ times</th>
                  <th className="py-2 pr-3 text-right font-medium">Samples</th>
                  <th className="py-2 pr-3 text-right font-medium">Flipped</th>
                  <th className="py-2 pr-3 text-right font-medium">Flip rate</th>
                  <th className="py-2 text-right font-medium">Pairwise disagreement</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.value.map((c) => (
                  <tr key={c.judgeId} data-judge={c.judgeId}>
                    <td className="py-2 pr-3 font-medium">{judgeName(judges.find((j) => j.id === c.judgeId)!)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatInt(c.items)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{c.items ? `up to ${c.maxSamples}` : "—"}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatInt(c.flipped)}</td>
                    <td className="py-2 pr-3 text-right font-medium tabular-nums" data-field="flip-rate">
                      {formatPercent(c.flipRate)}
                    </td>
                    <td className="py-2 text-right tabular-nums">{formatPercent(c.pairwiseDisagreement)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ChartCard>
          <ChartCard
            title="Flip rate by the first sample's soft reward"
            description="Flips gather where the judge is unsure (soft reward near 0.5)."
            filename={`flip-rate-by-p-dataset-${dataset.id}`}
            rows={Array.from({ length: CALIBRATION_BINS }, (_, bin) => ({
              soft_reward_bin: binLabel(bin),
              ...Object.fromEntries(
                sampled.flatMap((c) => {
                  const name = judgeName(judges.find((j) => j.id === c.judgeId)!);
                  return [
                    [`items ${name}`, binOf(c.judgeId, bin)?.items ?? 0],
                    [`flip_rate ${name}`, rateOf(c.judgeId, bin)],
                  ];
                }),
              ),
            }))}
            testId="flip-chart"
          >
            {binned ? (
              <BarsChart data={bins} x="bin" xLabel="soft reward of sample 0" series={sampled.map((c) => ({ key: `j${c.judgeId}`, name: judgeName(judges.find((j) => j.id === c.judgeId)!) }))} yDomain={[0, 1]} />
            ) : (
              <p className="text-sm text-slate-500" data-testid="flip-chart-empty">
                No sampled item&apos;s first sample has a soft reward (an endpoint without token probabilities, or an import without a soft_reward column), so the flip rate
                cannot be split by it.
              </p>
            )}
          </ChartCard>
        </>
      )}
    </main>
  );
}
