import type { Metadata } from "next";
import { judgmentFiltersToParams } from "@/lib/judgments/filters";
import { requirePageRole } from "@/lib/auth/session";
import { rewardNormalisation, rewardOverview, SOFT_BINS, Z_RANGE, type TRewardKind } from "@/lib/stats/reward-queries";
import { analyticsScope, judgeName, param, type TSearch } from "@/lib/stats/scope";
import { freshness } from "@/lib/stats/snapshot";
import { withinBudget } from "@/lib/stats/budget";
import { judgesKey } from "@/lib/stats/sql";
import { warmAfterResponse } from "@/lib/stats/warm";
import { ChartCard } from "@/components/charts/chart-card";
import { BarsChart } from "@/components/charts/charts";
import { formatInt, formatPercent, formatScore } from "@/components/ui/format";
import { EmptyView, NoDatasets } from "../_components/empty";
import { Pickers, Stat } from "../_components/pickers";
import { ViewHeader } from "../_components/view-header";

export const metadata: Metadata = { title: "Rewards" };

const PATH = "/analytics/rewards";
const BATCHES = ["", "8", "32", "128", "256", "1024"];

const zLabel = (i: number) => (Z_RANGE.low + ((Z_RANGE.high - Z_RANGE.low) * i) / Z_RANGE.bins).toFixed(2);

export default async function RewardsPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("viewer");
  const search = await searchParams;
  const scope = await analyticsScope(search, PATH);
  if (!scope) return <NoDatasets title="Rewards" />;
  warmAfterResponse(scope);
  const { dataset, datasets, judges } = scope;
  if (judges.length === 0) {
    return (
      <main>
        <ViewHeader title="Rewards" outside={scope.outside} path={PATH} datasetId={dataset.id} datasets={datasets} />
        <EmptyView>This dataset has no judgments yet.</EmptyView>
      </main>
    );
  }
  const judge = judges.find((j) => String(j.id) === param(search, "judge")) ?? judges[0]!;
  const reward: TRewardKind = param(search, "reward") === "soft" ? "soft" : "binary";
  const ddof = param(search, "std") === "population" ? 0 : 1;
  const batchParam = param(search, "batch") ?? "";
  const batch = BATCHES.includes(batchParam) && batchParam ? Number(batchParam) : null;

  const {
    value: [overview, normalised],
    updating,
  } = await withinBudget(`${PATH}:${dataset.id}:${judgesKey(judges)}:${judge.id}:${reward}:${ddof}:${batch ?? ""}`, () =>
    Promise.all([rewardOverview(dataset.id, judges), rewardNormalisation(dataset.id, judge, { reward, ddof, batch })]),
  );
  const n = normalised.value;
  const zRows = n.batchHistogram.map((count, i) => ({ z_from: zLabel(i), z_to: zLabel(i + 1), batch: count, group: n.groupHistogram[i] }));

  // A histogram bar's items in the judgments list: the judge's soft reward in the bar's bin, with its gold label.
  const binHref = (judgeId: number, bin: number, label: "correct" | "incorrect" | "undecided") =>
    `/judgments?${judgmentFiltersToParams({ dataset: dataset.id, reward: { judgeId, lo: bin / SOFT_BINS, hi: (bin + 1) / SOFT_BINS }, label }).toString()}`;

  return (
    <main className="space-y-6">
      <ViewHeader title="Rewards" outside={scope.outside} path={PATH} datasetId={dataset.id} datasets={datasets} {...freshness(overview, normalised)} updating={updating}>
        The reward signal an RL run receives from each judge: the binary reward (YES = 1, NO = 0; unparseable replies and failed calls give
        none), the soft reward (the judge&apos;s setting: P(YES) renormalised over YES and NO, or Eq. 4&apos;s P(YES) for a YES and 1 − P(NO) for a NO), and both after Eq. 5&apos;s normalisation (r − mean) / std, over a batch and within each question&apos;s
        group of responses, where std = 0 gives 0.
      </ViewHeader>

      <section aria-labelledby="per-judge" className="space-y-3">
        <h2 id="per-judge" className="text-lg font-semibold">
          Per judge
        </h2>
        <div className="grid gap-4 xl:grid-cols-2">
          {overview.value.judges.map((r) => {
            const j = judges.find((x) => x.id === r.judgeId)!;
            const notJudged = overview.value.responses - r.yes - r.no - r.unparseable - r.failed;
            return (
              <ChartCard
                key={r.judgeId}
                title={`${judgeName(j)}: soft rewards`}
                description={
                  <span data-testid={`reward-rate-${r.judgeId}`}>
                    Binary reward rate {formatPercent(r.rewardRate)} ({formatInt(r.yes)} YES, {formatInt(r.no)} NO); {formatInt(r.unparseable)} unparseable,{" "}
                    {formatInt(r.failed)} failed, {formatInt(notJudged)} not judged. Mean soft reward {formatScore(r.meanSoft)}.
                  </span>
                }
                filename={`soft-rewards-judge-${r.judgeId}-dataset-${dataset.id}`}
                rows={r.softHistogram.map((b) => ({ p_from: b.bin / SOFT_BINS, p_to: (b.bin + 1) / SOFT_BINS, experts_correct: b.correct, experts_incorrect: b.incorrect, no_gold_label: b.other }))}
                testId={`soft-histogram-${r.judgeId}`}
                empty={r.softHistogram.every((b) => b.correct + b.incorrect + b.other === 0)}
              >
                {r.softHistogram.every((b) => b.correct + b.incorrect + b.other === 0) ? (
                  <p className="text-sm text-slate-500">No soft reward is stored for this judge&apos;s verdicts: an endpoint without token probabilities, or an import without a soft_reward column.</p>
                ) : (
                  <BarsChart
                    data={r.softHistogram.map((b) => ({ p: (b.bin / SOFT_BINS).toFixed(2), correct: b.correct, incorrect: b.incorrect, other: b.other }))}
                    x="p"
                    xLabel="soft reward (bin start; a bar opens its items)"
                    series={[
                      { key: "correct", name: "experts: correct", color: "#059669", stack: "s" },
                      { key: "incorrect", name: "experts: incorrect", color: "#e11d48", stack: "s" },
                      { key: "other", name: "no gold label", color: "#94a3b8", stack: "s" },
                    ]}
                    hrefs={{
                      correct: r.softHistogram.map((b) => (b.correct ? binHref(r.judgeId, b.bin, "correct") : null)),
                      incorrect: r.softHistogram.map((b) => (b.incorrect ? binHref(r.judgeId, b.bin, "incorrect") : null)),
                      other: r.softHistogram.map((b) => (b.other ? binHref(r.judgeId, b.bin, "undecided") : null)),
                    }}
                    height={220}
                  />
                )}
              </ChartCard>
            );
          })}
        </div>
      </section>

      <section aria-labelledby="normalised" className="space-y-3">
        <h2 id="normalised" className="text-lg font-semibold">
          Normalised rewards (Eq. 5)
        </h2>
        <Pickers
          path={PATH}
          hidden={{ dataset: String(dataset.id) }}
          pickers={[
            { name: "judge", label: "Judge", value: String(judge.id), options: judges.map((j) => ({ value: String(j.id), label: judgeName(j) })) },
            { name: "reward", label: "Reward", value: reward, options: [{ value: "binary", label: "binary (verdict)" }, { value: "soft", label: "soft (from P(YES))" }] },
            { name: "std", label: "Standard deviation", value: ddof ? "sample" : "population", options: [{ value: "sample", label: "sample, n − 1 (TRL, verl)" }, { value: "population", label: "population, n" }] },
            { name: "batch", label: "Batch", value: batch ? String(batch) : "", options: BATCHES.map((b) => ({ value: b, label: b ? `${b} questions` : "the whole dataset" })) },
          ]}
        />
        {n.rewards === 0 ? (
          <EmptyView>{judgeName(judge)} gives no {reward} reward on this dataset.</EmptyView>
        ) : (
          <>
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
              <Stat label="Rewards" value={formatInt(n.rewards)} />
              <Stat label="Batches" value={formatInt(n.batches)} hint={`${formatInt(n.zeroVarianceBatches)} with std 0`} />
              {n.groups && (
                <>
                  <Stat label="Question groups (k ≥ 2)" value={formatInt(n.groups.groups - n.groups.singletons)} hint={`${formatInt(n.groups.singletons)} with one response`} />
                  <Stat
                    label="Groups with zero variance"
                    value={formatPercent(n.groups.zeroVarianceShare)}
                    hint={`${formatInt(n.groups.allPass)} all pass, ${formatInt(n.groups.allFail)} all fail: no GRPO/RLOO signal`}
                    testId="zero-variance-share"
                  />
                </>
              )}
            </div>
            <div className="grid gap-4 xl:grid-cols-2">
              <ChartCard
                title="Normalised over the batch"
                description={`(r − batch mean) / batch std, ${batch ? `batches of ${batch} questions in id order` : "the whole dataset as one batch"}; values beyond ±3 in the edge bins.`}
                filename={`normalised-batch-judge-${judge.id}-dataset-${dataset.id}`}
                rows={zRows.map(({ z_from, z_to, batch: count }) => ({ z_from, z_to, responses: count }))}
                testId="batch-z-chart"
              >
                <BarsChart data={zRows} x="z_from" xLabel="normalised reward (bin start)" series={[{ key: "batch", name: "responses" }]} height={220} />
              </ChartCard>
              <ChartCard
                title="Normalised within each question's group"
                description="(r − group mean) / group std over the responses to one question (GRPO, RLOO); a group with std 0 puts all its responses at 0."
                filename={`normalised-group-judge-${judge.id}-dataset-${dataset.id}`}
                rows={zRows.map(({ z_from, z_to, group }) => ({ z_from, z_to, responses: group }))}
                testId="group-z-chart"
              >
                <BarsChart data={zRows} x="z_from" xLabel="normalised reward (bin start)" series={[{ key: "group", name: "responses", color: "#059669" }]} height={220} />
              </ChartCard>
            </div>
            {n.groups && (
              <ChartCard
                title="Pass rate per question group"
                description="Share of a question's responses with reward 1; the two edge bins hold the groups where every response fails or passes."
                filename={`pass-rates-judge-${judge.id}-dataset-${dataset.id}`}
                rows={n.groups.passRateHistogram.map((count, i) => ({ pass_rate_from: i / 10, pass_rate_to: (i + 1) / 10, groups: count }))}
                testId="pass-rate-chart"
              >
                <BarsChart data={n.groups.passRateHistogram.map((count, i) => ({ rate: `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`, groups: count }))} x="rate" xLabel="pass rate" series={[{ key: "groups", name: "question groups", color: "#7c3aed" }]} height={220} />
              </ChartCard>
            )}
          </>
        )}
      </section>
    </main>
  );
}
