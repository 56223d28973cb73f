import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getDataset, listDatasets } from "@/lib/datasets/queries";
import { judgmentFiltersToParams, parseJudgmentFilters } from "@/lib/judgments/filters";
import { countJudgments, judgeColumns, listJudgments } from "@/lib/judgments/queries";
import { formatInt } from "@/components/ui/format";
import { FilterBar } from "./_components/filter-bar";
import { JudgmentsTable } from "./_components/judgments-table";
import { DetailPanel } from "./_components/detail-panel";

export const metadata: Metadata = { title: "Judgments" };

type TSearch = Record<string, string | string[] | undefined>;

export default async function JudgmentsPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const user = await requirePageRole("viewer");
  const search = await searchParams;
  if (!search.dataset) {
    const [first] = await listDatasets();
    if (!first) {
      return (
        <main>
          <h1 className="text-xl font-semibold">Judgments</h1>
          <p className="mt-6 text-slate-600">There are no datasets yet, so there is nothing to judge.</p>
        </main>
      );
    }
    redirect(`/judgments?dataset=${first.id}`);
  }
  const parsed = parseJudgmentFilters(search);
  if (!parsed.success) {
    return (
      <main>
        <h1 className="text-xl font-semibold">Judgments</h1>
        <p role="alert" className="mt-6 rounded-md bg-red-50 px-4 py-3 text-red-800">
          These filters cannot be read: {parsed.error.issues.map((i) => i.message).join("; ")}.{" "}
          <Link href="/judgments" className="underline">
            Reset filters
          </Link>
        </p>
      </main>
    );
  }
  const filters = parsed.data;
  const dataset = await getDataset(filters.dataset);
  if (!dataset) redirect("/judgments");

  const [datasets, columns] = await Promise.all([listDatasets(), judgeColumns(dataset.id)]);
  const [page, total] = await Promise.all([listJudgments(filters, columns), countJudgments(filters, columns)]);
  const baseParams = judgmentFiltersToParams({ ...filters, after: undefined });
  const item = typeof search.item === "string" && /^\d+$/.test(search.item) ? Number(search.item) : null;
  const nextParams = new URLSearchParams(baseParams);
  if (page.nextCursor) nextParams.set("after", String(page.nextCursor));

  return (
    <main>
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h1 className="text-xl font-semibold">Judgments</h1>
        <p className="text-slate-600" data-testid="match-count">
          {formatInt(total)} {total === 1 ? "response matches" : "responses match"}
        </p>
        {hasRole(user.role, "researcher") && (
          <div className="ml-auto flex gap-2">
            <Link href={`/runs/new?${baseParams.toString()}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50">
              Run judges on these
            </Link>
            <Link href={`/review/new?${baseParams.toString()}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50">
              Create review queue
            </Link>
            <Link href={`/review/bulk?${baseParams.toString()}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50">
              Bulk relabel
            </Link>
            <a
              href={`/api/v1/judgments/export?${baseParams.toString()}`}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50"
              download
            >
              Export JSONL
            </a>
          </div>
        )}
      </div>
      <FilterBar
        datasets={datasets.map((d) => ({ id: d.id, name: d.name }))}
        judges={columns.map((c) => ({ id: c.id, name: c.sizeLabel ? `${c.name} (${c.sizeLabel})` : c.name }))}
        filters={{
          dataset: filters.dataset,
          verdict: Object.fromEntries(filters.verdict.map((v) => [v.judgeId, v.verdict])),
          disagree: typeof search.disagree === "string" ? search.disagree : "",
          label: filters.label ?? "",
          q: filters.q ?? "",
        }}
      />
      <JudgmentsTable rows={page.rows} columns={columns} baseParams={baseParams.toString()} after={filters.after} selected={item} />
      <div className="mt-4 flex gap-4">
        {filters.after && (
          <Link href={`/judgments?${baseParams.toString()}`} className="text-blue-700 hover:underline">
            ← First page
          </Link>
        )}
        {page.nextCursor && (
          <Link href={`/judgments?${nextParams.toString()}`} className="text-blue-700 hover:underline" data-testid="next-page">
            Next page →
          </Link>
        )}
      </div>
      {item && <DetailPanel responseId={item} rowIds={page.rows.map((r) => r.id)} canLabel={hasRole(user.role, "expert")} canAdjudicate={hasRole(user.role, "researcher")} />}
    </main>
  );
}
