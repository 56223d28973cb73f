import Link from "next/link";
import { judgmentFiltersToParams } from "@/lib/judgments/filters";
import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/session";
import { expertAgreement, type TUnsure } from "@/lib/stats/expert-queries";
import { analyticsScope, param, type TSearch } from "@/lib/stats/scope";
import { freshness } from "@/lib/stats/snapshot";
import { withinBudget } from "@/lib/stats/budget";
import { warmAfterResponse } from "@/lib/stats/warm";
import { ChartCard } from "@/components/charts/chart-card";
import { IntervalBarsChart } from "@/components/charts/charts";
import { formatInt, formatInterval, formatPercent, formatScore } from "@/components/ui/format";
import { EmptyView, NoDatasets } from "../_components/empty";
import { Pickers, Stat } from "../_components/pickers";
import { ViewHeader } from "../_components/view-header";

export const metadata: Metadata = { title: "Experts vs experts" };

const PATH = "/analytics/experts";

export default async function ExpertsPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("viewer");
  const search = await searchParams;
  const scope = await analyticsScope(search, PATH);
  if (!scope) return <NoDatasets title="Experts vs experts" />;
  warmAfterResponse(scope);
  const { dataset, datasets } = scope;
  const unsure: TUnsure = param(search, "unsure") === "category" ? "category" : "missing";
  const { value: result, updating } = await withinBudget(`${PATH}:${dataset.id}:${unsure}`, () => expertAgreement(dataset.id, unsure));
  const { annotators, pairs, alpha, labelledItems } = result.value;
  const name = (annotator: string) => annotators.find((a) => a.annotator === annotator)?.name ?? annotator;
  const shown = pairs.filter((p) => p.n > 0).sort((x, y) => y.n - x.n);

  return (
    <main className="space-y-6">
      <ViewHeader title="Experts vs experts" path={PATH} datasetId={dataset.id} datasets={datasets} {...freshness(result)} updating={updating}>
        How far the experts agree with each other: Cohen&apos;s kappa for each pair of annotators on the items both labelled correct or
        incorrect, and Krippendorff&apos;s alpha (nominal) over all annotators at once, which allows any number of labels per item.
      </ViewHeader>
      <Pickers
        path={PATH}
        hidden={{ dataset: String(dataset.id) }}
        pickers={[
          {
            name: "unsure",
            label: "“Unsure” labels in alpha",
            value: unsure,
            options: [
              { value: "missing", label: "left out (missing)" },
              { value: "category", label: "a third category" },
            ],
          },
        ]}
      />
      {annotators.length < 2 ? (
        <EmptyView>Agreement between experts needs labels from two annotators or more; this dataset has {annotators.length === 1 ? "one" : "none"}.</EmptyView>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Stat label="Krippendorff's alpha" value={formatScore(alpha.alpha)} hint={`nominal; unsure ${unsure === "missing" ? "left out" : "as a category"}`} testId="alpha" />
            <Stat label="Items with 2+ labels" value={formatInt(alpha.units)} hint={`${formatInt(alpha.values)} pairable labels`} />
            <Stat label="Labelled items" value={formatInt(labelledItems)} />
            <Stat label="Annotators" value={formatInt(annotators.length)} />
          </div>
          <p className="text-sm">
            <Link href={`/judgments?${judgmentFiltersToParams({ dataset: dataset.id, label: "disputed" }).toString()}`} className="text-blue-700 hover:underline" data-testid="open-disputed">
              Open the responses where experts disagree and nobody has adjudicated →
            </Link>{" "}
            <span className="text-slate-500">(a tie leaves a response without a gold label until a researcher decides it)</span>
          </p>
          <div className="grid gap-4 xl:grid-cols-2">
            <ChartCard
              title="Annotator pairs"
              description="Cohen's kappa on the items both labelled correct or incorrect."
              filename={`expert-pairs-dataset-${dataset.id}`}
              rows={shown.map((p) => ({ annotator_a: name(p.a), annotator_b: name(p.b), n: p.n, raw_agreement: p.observed, kappa: p.kappa, ci95_low: p.ciLow, ci95_high: p.ciHigh }))}
              isTable
              testId="expert-pairs"
            >
              {shown.length === 0 ? (
                <p className="text-sm text-slate-500">No two annotators labelled the same item.</p>
              ) : (
                <table className="w-full text-left text-sm">
                  <thead className="text-xs text-slate-500 uppercase">
                    <tr>
                      <th className="py-1.5 pr-3 font-medium">Annotators</th>
                      <th className="py-1.5 pr-3 text-right font-medium">n</th>
                      <th className="py-1.5 pr-3 text-right font-medium">Agree</th>
                      <th className="py-1.5 pr-3 text-right font-medium">Kappa</th>
                      <th className="py-1.5 text-right font-medium">95% interval</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {shown.map((p) => (
                      <tr key={`${p.a}:${p.b}`} data-pair={`${p.a}:${p.b}`}>
                        <td className="py-1.5 pr-3">
                          {name(p.a)} · {name(p.b)}
                        </td>
                        <td className="py-1.5 pr-3 text-right tabular-nums">{formatInt(p.n)}</td>
                        <td className="py-1.5 pr-3 text-right tabular-nums">{formatPercent(p.observed)}</td>
                        <td className="py-1.5 pr-3 text-right font-medium tabular-nums" data-field="kappa">
                          {formatScore(p.kappa)}
                        </td>
                        <td className="py-1.5 text-right text-slate-500 tabular-nums">{formatInterval(p.ciLow, p.ciHigh)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </ChartCard>
            {shown.length > 0 && (
              <ChartCard title="Kappa per pair" description="Whiskers: 95% interval." filename={`expert-kappa-dataset-${dataset.id}`} rows={shown.map((p) => ({ pair: `${name(p.a)} · ${name(p.b)}`, kappa: p.kappa, ci95_low: p.ciLow, ci95_high: p.ciHigh }))}>
                <IntervalBarsChart data={shown.slice(0, 40).map((p) => ({ group: `${name(p.a)} · ${name(p.b)}`, value: p.kappa, low: p.ciLow, high: p.ciHigh }))} />
              </ChartCard>
            )}
          </div>
          <ChartCard title="Annotators" filename={`annotators-dataset-${dataset.id}`} rows={annotators.map((a) => ({ annotator: a.name, labels: a.labels, correct: a.correct, incorrect: a.incorrect, unsure: a.unsure }))} isTable>
            <table className="w-full max-w-3xl text-left text-sm">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="py-1.5 pr-3 font-medium">Annotator</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Labels</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Correct</th>
                  <th className="py-1.5 pr-3 text-right font-medium">Incorrect</th>
                  <th className="py-1.5 text-right font-medium">Unsure</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {annotators.map((a) => (
                  <tr key={a.annotator}>
                    <td className="py-1.5 pr-3">{a.name}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatInt(a.labels)}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatInt(a.correct)}</td>
                    <td className="py-1.5 pr-3 text-right tabular-nums">{formatInt(a.incorrect)}</td>
                    <td className="py-1.5 text-right tabular-nums">{formatInt(a.unsure)}</td>
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
