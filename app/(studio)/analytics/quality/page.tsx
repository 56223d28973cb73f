import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { judgmentFiltersToParams } from "@/lib/judgments/filters";
import { judgeQualityTable, type TQualityRow } from "@/lib/stats/quality-queries";
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

export const metadata: Metadata = { title: "Judges vs experts" };

const PATH = "/analytics/quality";
const METRICS = [
  ["accuracy", "Accuracy"],
  ["precision", "Precision"],
  ["recall", "Recall"],
  ["f1", "F1"],
  ["falseAcceptRate", "False accepts"],
  ["falseRejectRate", "False rejects"],
] as const;

export default async function QualityPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("viewer");
  const scope = await analyticsScope(await searchParams, PATH);
  if (!scope) return <NoDatasets title="Judges vs experts" />;
  warmAfterResponse(scope);
  const { dataset, datasets, judges } = scope;
  const { value: quality, updating } = await withinBudget(`${PATH}:${dataset.id}:${judgesKey(judges)}`, () => judgeQualityTable(dataset.id, judges));
  const rows = quality.value;
  const overall = judges.map((j) => ({ judge: j, q: rows.find((r) => r.judgeId === j.id && r.isOverall) }));
  const subjects = [...new Set(rows.filter((r) => !r.isOverall).map((r) => r.subject))]
    .map((subject) => ({ subject, n: Math.max(...rows.filter((r) => !r.isOverall && r.subject === subject).map((r) => r.n)) }))
    .sort((a, b) => b.n - a.n);
  const bySubject = (judgeId: number, subject: string | null) => rows.find((r) => !r.isOverall && r.judgeId === judgeId && r.subject === subject);
  const list = (judgeId: number, verdict: "YES" | "NO", label: "correct" | "incorrect", subject?: string | null) =>
    `/judgments?${judgmentFiltersToParams({ dataset: dataset.id, verdict: [{ judgeId, verdict }], label, ...(subject ? { subject } : {}) }).toString()}`;

  return (
    <main className="space-y-6">
      <ViewHeader title="Judges vs experts" path={PATH} datasetId={dataset.id} datasets={datasets} {...freshness(quality)} updating={updating}>
        Each judge as a classifier of the experts&apos; gold label, on the responses that have both a YES/NO verdict and a correct/incorrect
        gold label. A false accept (the judge says YES, the experts say incorrect) is a reward the policy can learn to hack; a false reject
        withholds a deserved reward.
      </ViewHeader>
      {overall.every((o) => !o.q) ? (
        <EmptyView>No response has both a judge&apos;s verdict and an expert gold label yet.</EmptyView>
      ) : (
        <>
          <ChartCard
            title="Per judge"
            filename={`judge-quality-dataset-${dataset.id}`}
            rows={overall.map(({ judge, q }) => ({ judge: judgeName(judge), n: q?.n ?? 0, tp: q?.tp, fp: q?.fp, fn: q?.fn, tn: q?.tn, ...Object.fromEntries(METRICS.map(([k]) => [k, q?.[k] ?? null])) }))}
            isTable
            testId="quality-table"
          >
            <table className="w-full text-left">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="py-2 pr-3 font-medium">Judge</th>
                  <th className="py-2 pr-3 text-right font-medium">n</th>
                  {METRICS.map(([k, label]) => (
                    <th key={k} className="py-2 pr-3 text-right font-medium">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {overall.map(({ judge, q }) => (
                  <tr key={judge.id} data-judge={judge.id}>
                    <td className="py-2 pr-3 font-medium">{judgeName(judge)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatInt(q?.n ?? 0)}</td>
                    {METRICS.map(([k]) => (
                      <td key={k} className="py-2 pr-3 text-right tabular-nums" data-field={k}>
                        {k === "falseAcceptRate" && q ? (
                          <Link href={list(judge.id, "YES", "incorrect")} className="text-blue-700 hover:underline" title={`${formatInt(q.fp)} false accepts`}>
                            {formatPercent(q[k])}
                          </Link>
                        ) : k === "falseRejectRate" && q ? (
                          <Link href={list(judge.id, "NO", "correct")} className="text-blue-700 hover:underline" title={`${formatInt(q.fn)} false rejects`}>
                            {formatPercent(q[k])}
                          </Link>
                        ) : (
                          formatPercent(q?.[k])
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ChartCard>
          <ChartCard
            title="Metrics per judge"
            filename={`judge-metrics-dataset-${dataset.id}`}
            rows={METRICS.map(([k, label]) => ({ metric: label, ...Object.fromEntries(overall.map(({ judge, q }) => [judgeName(judge), q?.[k] ?? null])) }))}
          >
            <BarsChart
              data={METRICS.map(([k, label]) => ({ metric: label, ...Object.fromEntries(overall.map(({ judge, q }) => [`j${judge.id}`, q?.[k] ?? null])) }))}
              x="metric"
              series={judges.map((j) => ({ key: `j${j.id}`, name: judgeName(j) }))}
              yDomain={[0, 1]}
            />
          </ChartCard>
          <SubjectTable datasetId={dataset.id} judges={judges} subjects={subjects} bySubject={bySubject} list={list} />
        </>
      )}
    </main>
  );
}

function SubjectTable({
  datasetId,
  judges,
  subjects,
  bySubject,
  list,
}: {
  datasetId: number;
  judges: { id: number; name: string; sizeLabel: string }[];
  subjects: { subject: string | null; n: number }[];
  bySubject: (judgeId: number, subject: string | null) => TQualityRow | undefined;
  list: (judgeId: number, verdict: "YES" | "NO", label: "correct" | "incorrect", subject?: string | null) => string;
}) {
  const csv = subjects.flatMap(({ subject }) =>
    judges.map((j) => {
      const q = bySubject(j.id, subject);
      return { subject: subject ?? "", judge: judgeName(j), n: q?.n ?? 0, accuracy: q?.accuracy, f1: q?.f1, false_accept_rate: q?.falseAcceptRate, false_reject_rate: q?.falseRejectRate };
    }),
  );
  return (
    <ChartCard title="Per subject" description="Sorted by the number of labelled items; false accepts open their responses." filename={`judge-quality-by-subject-dataset-${datasetId}`} rows={csv} isTable testId="quality-by-subject">
      <div className="max-h-[36rem] overflow-auto">
        <table className="w-full text-left text-sm">
          <thead className="sticky top-0 bg-white text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-1.5 pr-3 font-medium">Subject</th>
              {judges.map((j) => (
                <th key={j.id} className="py-1.5 pr-3 text-right font-medium" colSpan={3}>
                  {judgeName(j)}: n · accuracy · false accepts
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {subjects.map(({ subject }) => (
              <tr key={subject ?? ""}>
                <td className="py-1.5 pr-3">{subject ?? "(no subject)"}</td>
                {judges.map((j) => {
                  const q = bySubject(j.id, subject);
                  return [
                    <td key={`${j.id}n`} className="py-1.5 pr-2 text-right text-slate-500 tabular-nums">{formatInt(q?.n ?? 0)}</td>,
                    <td key={`${j.id}a`} className="py-1.5 pr-2 text-right tabular-nums">{formatPercent(q?.accuracy)}</td>,
                    <td key={`${j.id}f`} className="py-1.5 pr-3 text-right tabular-nums">
                      {q && subject !== null ? (
                        <Link href={list(j.id, "YES", "incorrect", subject)} className="text-blue-700 hover:underline">
                          {formatPercent(q.falseAcceptRate)}
                        </Link>
                      ) : (
                        formatPercent(q?.falseAcceptRate)
                      )}
                    </td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}
