import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/session";
import { agreementMatrix, BREAKDOWN_DIMENSIONS, pairBreakdown, type TBreakdownDimension, type TPairAgreement } from "@/lib/stats/agreement-queries";
import { analyticsScope, param, type TSearch } from "@/lib/stats/scope";
import { freshness } from "@/lib/stats/snapshot";
import { withinBudget } from "@/lib/stats/budget";
import { warmAfterResponse } from "@/lib/stats/warm";
import { raterKey, ratersKey } from "@/lib/stats/sql";
import { EmptyView, NoDatasets } from "../_components/empty";
import { ViewHeader } from "../_components/view-header";
import { Breakdown } from "./_components/breakdown";
import { ConfusionMatrix } from "./_components/confusion-matrix";
import { PairMatrix } from "./_components/pair-matrix";

export const metadata: Metadata = { title: "Agreement" };

const PATH = "/analytics/agreement";

export default async function AgreementPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("viewer");
  const search = await searchParams;
  const scope = await analyticsScope(search, PATH);
  if (!scope) return <NoDatasets title="Agreement" />;
  warmAfterResponse(scope);
  const { dataset, datasets, raters } = scope;

  const header = (snapshots?: Parameters<typeof freshness>, updating = false) => (
    <ViewHeader title="Agreement" outside={scope.outside} path={PATH} datasetId={dataset.id} datasets={datasets} {...(snapshots ? freshness(...snapshots) : {})} updating={updating}>
      How often two raters give the same answer on the responses both answered: judges by YES / NO (their current template version, first
      sample; unparseable replies and failed calls left out), experts by their gold label (correct / incorrect; unsure and unlabelled left
      out). Cohen&apos;s kappa corrects raw agreement for chance.
    </ViewHeader>
  );
  if (raters.length < 2) {
    return (
      <main>
        {header()}
        <EmptyView>This dataset has no judgments yet: run or import a judge to compare.</EmptyView>
      </main>
    );
  }

  const find = (key?: string) => raters.findIndex((r) => raterKey(r) === key);
  let [i, j] = [find(param(search, "a")), find(param(search, "b"))];
  if (i < 0 || j < 0 || i === j) [i, j] = [0, 1];
  const [a, b] = [raters[i]!, raters[j]!];
  const by = (BREAKDOWN_DIMENSIONS as readonly string[]).includes(param(search, "by") ?? "") ? (param(search, "by") as TBreakdownDimension) : "subject";

  const {
    value: [matrix, breakdown],
    updating,
  } = await withinBudget(`${PATH}:${dataset.id}:${ratersKey(raters)}:${raterKey(a)}:${raterKey(b)}`, () =>
    Promise.all([agreementMatrix(dataset.id, raters), pairBreakdown(dataset.id, a, b)]),
  );
  // The matrix holds each pair once (first rater earlier in the list): transpose for the other order.
  const stored = matrix.value.pairs.find((p) => p.a === Math.min(i, j) && p.b === Math.max(i, j))!;
  const pair: TPairAgreement = i < j ? stored : { ...stored, yn: stored.ny, ny: stored.yn, answeredA: stored.answeredB, answeredB: stored.answeredA };

  return (
    <main className="space-y-6">
      {header([matrix, breakdown], updating)}
      <PairMatrix datasetId={dataset.id} raters={raters} pairs={matrix.value.pairs} selected={[raterKey(a), raterKey(b)]} />
      <ConfusionMatrix datasetId={dataset.id} a={a} b={b} result={pair} />
      <Breakdown datasetId={dataset.id} a={a} b={b} by={by} rows={breakdown.value} />
    </main>
  );
}
