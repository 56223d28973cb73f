import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requirePageRole } from "@/lib/auth/session";
import { getDataset, listDatasets } from "@/lib/datasets/queries";
import { judgeColumns } from "@/lib/judgments/queries";
import { pairAgreement, raterKey, ratersOf, type TRaterRef } from "@/lib/stats/agreement-queries";
import { formatInt, formatPercent, formatScore } from "@/components/ui/format";

export const metadata: Metadata = { title: "Agreement" };

const ZSearch = z.object({
  dataset: z.coerce.number().int().positive().optional(),
  a: z.string().optional(),
  b: z.string().optional(),
});

export default async function AgreementPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("viewer");
  const search = ZSearch.catch({}).parse(await searchParams);
  if (!search.dataset) {
    const [first] = await listDatasets();
    if (!first) {
      return (
        <main>
          <h1 className="text-xl font-semibold">Agreement</h1>
          <p className="mt-6 text-slate-600">There are no datasets yet.</p>
        </main>
      );
    }
    redirect(`/agreement?dataset=${first.id}`);
  }
  const dataset = await getDataset(search.dataset);
  if (!dataset) redirect("/agreement");
  const raters = ratersOf(await judgeColumns(dataset.id));
  const pairs = raters.flatMap((a, i) => raters.slice(i + 1).map((b) => [a, b] as const));
  const results = await Promise.all(pairs.map(([a, b]) => pairAgreement(dataset.id, a, b)));

  const find = (key?: string) => raters.find((r) => raterKey(r) === key);
  const selA = find(search.a) ?? pairs[0]?.[0];
  const selB = find(search.b) ?? pairs[0]?.[1];
  const selectedIndex = pairs.findIndex(([a, b]) => selA && selB && raterKey(a) === raterKey(selA) && raterKey(b) === raterKey(selB));
  const selected = selA && selB && raterKey(selA) !== raterKey(selB)
    ? selectedIndex >= 0 ? results[selectedIndex]! : await pairAgreement(dataset.id, selA, selB)
    : null;

  return (
    <main>
      <nav className="text-xs text-slate-500" aria-label="Breadcrumb">
        <Link href={`/datasets/${dataset.id}`} className="hover:underline">
          {dataset.name}
        </Link>{" "}
        / Agreement
      </nav>
      <h1 className="mt-1 text-xl font-semibold">Agreement</h1>
      <p className="mt-1 max-w-3xl text-slate-600">
        How often two raters give the same answer on the responses both answered: judges by YES / NO (unparseable replies and failed calls left
        out), experts by their gold label (correct / incorrect; unsure and unlabeled left out). Cohen&apos;s kappa corrects raw agreement for
        chance.
      </p>

      {raters.length < 2 ? (
        <p className="mt-6 text-slate-600">This dataset needs at least one judge to compare.</p>
      ) : (
        <>
          <table className="mt-4 w-full max-w-4xl overflow-hidden rounded-lg bg-white text-left shadow-sm ring-1 ring-slate-200" data-testid="pairs-table">
            <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
              <tr>
                <th className="px-4 py-2 font-medium">Rater A</th>
                <th className="px-4 py-2 font-medium">Rater B</th>
                <th className="px-4 py-2 text-right font-medium">Both answered (n)</th>
                <th className="px-4 py-2 text-right font-medium">Raw agreement</th>
                <th className="px-4 py-2 text-right font-medium">Cohen&apos;s kappa</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {pairs.map(([a, b], i) => {
                const r = results[i]!;
                const isSelected = i === selectedIndex;
                return (
                  <tr key={`${raterKey(a)}-${raterKey(b)}`} className={isSelected ? "bg-blue-50" : undefined} data-pair={`${raterKey(a)}:${raterKey(b)}`}>
                    <td className="px-4 py-2">
                      <Link href={`/agreement?dataset=${dataset.id}&a=${raterKey(a)}&b=${raterKey(b)}`} className="text-blue-700 hover:underline">
                        {a.name}
                      </Link>
                    </td>
                    <td className="px-4 py-2">{b.name}</td>
                    <td className="px-4 py-2 text-right tabular-nums" data-field="n">{formatInt(r.n)}</td>
                    <td className="px-4 py-2 text-right tabular-nums" data-field="observed">{formatPercent(r.observed)}</td>
                    <td className="px-4 py-2 text-right tabular-nums" data-field="kappa">{formatScore(r.kappa)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          {selected && selA && selB && <PairDetail datasetId={dataset.id} a={selA} b={selB} result={selected} />}
        </>
      )}
    </main>
  );
}

/** Filters of the judgments list that select one rater's positive or negative answers. */
function answerFilter(rater: TRaterRef, positive: boolean): [string, string] {
  return rater.kind === "expert" ? ["label", positive ? "correct" : "incorrect"] : ["verdict", `${rater.id}:${positive ? "YES" : "NO"}`];
}

function PairDetail({ datasetId, a, b, result }: { datasetId: number; a: TRaterRef; b: TRaterRef; result: Awaited<ReturnType<typeof pairAgreement>> }) {
  const cellHref = (aPos: boolean, bPos: boolean) => {
    const params = new URLSearchParams({ dataset: String(datasetId) });
    params.append(...answerFilter(a, aPos));
    params.append(...answerFilter(b, bPos));
    return `/judgments?${params.toString()}`;
  };
  const pos = (r: TRaterRef) => (r.kind === "expert" ? "correct" : "YES");
  const neg = (r: TRaterRef) => (r.kind === "expert" ? "incorrect" : "NO");
  const cell = (count: number, aPos: boolean, bPos: boolean, testId: string) => (
    <td className="border border-slate-200 px-4 py-3 text-center text-lg tabular-nums">
      <Link href={cellHref(aPos, bPos)} className="text-blue-700 hover:underline" data-testid={testId}>
        {formatInt(count)}
      </Link>
    </td>
  );
  return (
    <section className="mt-8" aria-labelledby="pair-title">
      <h2 id="pair-title" className="text-lg font-semibold">
        {a.name} vs {b.name}
      </h2>
      <div className="mt-3 flex flex-wrap gap-10">
        <table className="bg-white" data-testid="confusion-matrix">
          <caption className="pb-2 text-left text-xs text-slate-500">Rows: {a.name}. Columns: {b.name}. Each count opens its items.</caption>
          <thead>
            <tr>
              <th />
              <th className="px-4 py-2 text-xs font-medium text-slate-500">{pos(b)}</th>
              <th className="px-4 py-2 text-xs font-medium text-slate-500">{neg(b)}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th className="px-4 py-2 text-right text-xs font-medium text-slate-500">{pos(a)}</th>
              {cell(result.yy, true, true, "cell-yy")}
              {cell(result.yn, true, false, "cell-yn")}
            </tr>
            <tr>
              <th className="px-4 py-2 text-right text-xs font-medium text-slate-500">{neg(a)}</th>
              {cell(result.ny, false, true, "cell-ny")}
              {cell(result.nn, false, false, "cell-nn")}
            </tr>
          </tbody>
        </table>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 self-start" data-testid="pair-stats">
          <dt className="text-slate-500">Both answered (n)</dt>
          <dd className="tabular-nums">{formatInt(result.n)}</dd>
          <dt className="text-slate-500">Raw agreement</dt>
          <dd className="tabular-nums">{formatPercent(result.observed, 2)}</dd>
          <dt className="text-slate-500">Chance agreement</dt>
          <dd className="tabular-nums">{formatPercent(result.expected, 2)}</dd>
          <dt className="text-slate-500">Cohen&apos;s kappa</dt>
          <dd className="font-semibold tabular-nums">{formatScore(result.kappa, 4)}</dd>
          <dt className="text-slate-500">{a.name} answered</dt>
          <dd className="tabular-nums">{formatInt(result.answeredA)}</dd>
          <dt className="text-slate-500">{b.name} answered</dt>
          <dd className="tabular-nums">{formatInt(result.answeredB)}</dd>
        </dl>
      </div>
    </section>
  );
}
