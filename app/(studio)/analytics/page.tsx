import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { agreementMatrix } from "@/lib/stats/agreement-queries";
import { datasetCounts } from "@/lib/stats/overview-queries";
import { judgeQualityTable } from "@/lib/stats/quality-queries";
import { rewardOverview } from "@/lib/stats/reward-queries";
import { analyticsScope, judgeName, type TSearch } from "@/lib/stats/scope";
import { judgmentFiltersToParams } from "@/lib/judgments/filters";
import { freshness } from "@/lib/stats/snapshot";
import { withinBudget } from "@/lib/stats/budget";
import { warmAfterResponse } from "@/lib/stats/warm";
import { raterKey, ratersKey } from "@/lib/stats/sql";
import { formatInt, formatInterval, formatPercent, formatScore } from "@/components/ui/format";
import { NoDatasets } from "./_components/empty";
import { Stat } from "./_components/pickers";
import { ViewHeader } from "./_components/view-header";

export const metadata: Metadata = { title: "Analytics" };

const PATH = "/analytics";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("viewer");
  const scope = await analyticsScope(await searchParams, PATH);
  if (!scope) return <NoDatasets title="Analytics" />;
  warmAfterResponse(scope);
  const { dataset, datasets, judges, raters } = scope;
  const {
    value: [counts, matrix, quality, rewards],
    updating,
  } = await withinBudget(`${PATH}:${dataset.id}:${ratersKey(raters)}`, () =>
    Promise.all([datasetCounts(dataset.id), agreementMatrix(dataset.id, raters), judgeQualityTable(dataset.id, judges), rewardOverview(dataset.id, judges)]),
  );
  const c = counts.value;
  const q = (s: string) => `?dataset=${dataset.id}${s}`;
  // The headline pair: the first two judges (for the paper's setting, the large and the small one).
  const headline = judges.length >= 2 ? matrix.value.pairs.find((p) => p.a === 0 && p.b === 1) : undefined;
  const expertIndex = raters.length - 1;

  return (
    <main className="space-y-6">
      <ViewHeader title="Analytics" path={PATH} datasetId={dataset.id} datasets={datasets} {...freshness(counts, matrix, quality, rewards)} updating={updating}>
        The headline numbers of <span className="font-medium text-slate-800">{dataset.name}</span>; each links to its view.
      </ViewHeader>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="overview-counts">
        <Stat label="Questions" value={formatInt(c.questions)} />
        <Stat label="Responses" value={formatInt(c.responses)} testId="overview-responses" />
        <Stat label="With an expert gold label" testId="overview-gold" value={formatInt(c.goldCorrect + c.goldIncorrect + c.goldUnsure)} hint={`${formatInt(c.goldCorrect)} correct, ${formatInt(c.goldIncorrect)} incorrect, ${formatInt(c.goldUnsure)} unsure`} />
        <Stat label="Expert labels" value={formatInt(c.labels)} hint={`${formatInt(c.annotators)} ${c.annotators === 1 ? "annotator" : "annotators"}`} />
      </div>

      {headline && (
        <Link
          href={`/analytics/agreement${q(`&a=${raterKey(raters[0]!)}&b=${raterKey(raters[1]!)}`)}`}
          className="block rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-blue-300"
          data-testid="headline-kappa"
        >
          <div className="text-xs text-slate-500">
            Agreement, {raters[0]!.name} vs {raters[1]!.name}
          </div>
          <div className="mt-1 text-3xl font-semibold tabular-nums">κ = {formatScore(headline.kappa)}</div>
          <div className="mt-1 text-sm text-slate-600 tabular-nums">
            95% interval {formatInterval(headline.ciLow, headline.ciHigh)} · raw agreement {formatPercent(headline.observed)} · n {formatInt(headline.n)}
          </div>
        </Link>
      )}

      {judges.length === 0 ? (
        <p className="text-slate-600">No judge has judged this dataset yet.</p>
      ) : (
        <section className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-label="Judges">
          <table className="w-full text-left" data-testid="overview-judges">
            <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
              <tr>
                <th className="px-4 py-2 font-medium">Judge</th>
                <th className="px-4 py-2 text-right font-medium">Binary reward rate</th>
                <th className="px-4 py-2 text-right font-medium">Unparseable / failed</th>
                <th className="px-4 py-2 text-right font-medium">Accuracy vs experts</th>
                <th className="px-4 py-2 text-right font-medium">False accepts</th>
                <th className="px-4 py-2 text-right font-medium">Kappa vs experts</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {judges.map((j, i) => {
                const r = rewards.value.judges.find((x) => x.judgeId === j.id);
                const acc = quality.value.find((x) => x.judgeId === j.id && x.isOverall);
                const vsExperts = matrix.value.pairs.find((p) => p.a === i && p.b === expertIndex);
                return (
                  <tr key={j.id} data-judge={j.id}>
                    <td className="px-4 py-2 font-medium">{judgeName(j)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">
                      <Link href={`/analytics/rewards${q(`&judge=${j.id}`)}`} className="text-blue-700 hover:underline" data-field="reward-rate">
                        {formatPercent(r?.rewardRate)}
                      </Link>
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">
                      <Link href={`/judgments?${judgmentFiltersToParams({ dataset: dataset.id, verdict: [{ judgeId: j.id, verdict: "UNPARSEABLE" }] })}`} className="text-blue-700 hover:underline" data-field="unparseable">
                        {formatInt(r?.unparseable ?? 0)}
                      </Link>{" "}
                      /{" "}
                      <Link href={`/judgments?${judgmentFiltersToParams({ dataset: dataset.id, verdict: [{ judgeId: j.id, verdict: "FAILED" }] })}`} className="text-blue-700 hover:underline" data-field="failed">
                        {formatInt(r?.failed ?? 0)}
                      </Link>
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">
                      <Link href={`/analytics/quality${q("")}`} className="text-blue-700 hover:underline" data-field="accuracy">
                        {formatPercent(acc?.accuracy)}
                      </Link>
                      <span className="ml-1 text-xs text-slate-400">n {formatInt(acc?.n ?? 0)}</span>
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{formatPercent(acc?.falseAcceptRate)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">
                      <Link href={`/analytics/agreement${q(`&a=${j.id}&b=expert`)}`} className="text-blue-700 hover:underline">
                        {formatScore(vsExperts?.kappa)}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      <nav className="flex flex-wrap gap-3 text-sm" aria-label="More views">
        <Link href={`/analytics/calibration${q("")}`} className="text-blue-700 hover:underline">
          Calibration of soft rewards →
        </Link>
        <Link href={`/analytics/experts${q("")}`} className="text-blue-700 hover:underline">
          Experts vs experts →
        </Link>
        <Link href={`/analytics/consistency${q("")}`} className="text-blue-700 hover:underline">
          Self-consistency →
        </Link>
      </nav>
    </main>
  );
}
