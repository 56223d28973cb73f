import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getDataset, listDatasetNames } from "@/lib/datasets/queries";
import { describeBand, judgesNamedIn, judgmentFiltersToParams, parseJudgmentFilters, rewardBandParam, withoutPage } from "@/lib/judgments/filters";
import { judgeColumns, judgesOutsideColumns, listJudgments } from "@/lib/judgments/queries";
import { datasetFacets } from "@/lib/stats/overview-queries";
import { LENGTH_BUCKETS } from "@/lib/stats/length-buckets";
import { formatInt } from "@/components/ui/format";
import { FilterBar } from "./_components/filter-bar";
import { MatchCount } from "./_components/match-count";
import { JudgmentsTable } from "./_components/judgments-table";
import { DetailPanel } from "./_components/detail-panel";
import { rowIdOf } from "@/lib/db/values";
import { judgeName } from "@/lib/judges/name";
import { MissingDatasetNotice } from "@/components/ui/missing-dataset";
import { preferredDataset } from "@/lib/datasets/preferred";

export const metadata: Metadata = { title: "Judgments" };

type TSearch = Record<string, string | string[] | undefined>;

export default async function JudgmentsPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const user = await requirePageRole("viewer");
  const search = await searchParams;
  if (!search.dataset) {
    const first = await preferredDataset(await listDatasetNames());
    if (!first) {
      return (
        <main>
          <h1 className="text-xl font-semibold">Judgments</h1>
          <p className="mt-6 text-slate-600">There are no datasets yet, so there is nothing to judge.</p>
        </main>
      );
    }
    redirect(`/judgments?dataset=${first.id}${typeof search.missing === "string" ? `&missing=${encodeURIComponent(search.missing)}` : ""}`);
  }
  const parsed = parseJudgmentFilters(search);
  if (!parsed.success) {
    return (
      <main>
        <h1 className="text-xl font-semibold">Judgments</h1>
        <p role="alert" className="mt-6 rounded-md bg-red-50 px-4 py-3 text-red-800">
          These filters cannot be read: {parsed.error.issues.map((i) => `${i.path.join(".") || "filter"}: ${i.message}`).join("; ")}.{" "}
          <Link href="/judgments" className="underline">
            Reset filters
          </Link>
        </p>
      </main>
    );
  }
  const filters = parsed.data;
  const dataset = await getDataset(filters.dataset);
  // To the first dataset, saying which one was asked for.
  if (!dataset) redirect(`/judgments?missing=${encodeURIComponent(String(filters.dataset))}`);

  // The pickers' subjects and models may lag a change by a refresh: the list must not wait for them.
  const [datasets, columns, facets] = await Promise.all([listDatasetNames(), judgeColumns(dataset.id), datasetFacets(dataset.id, { allowStale: true })]);
  const [page, outside] = await Promise.all([listJudgments(filters, columns), judgesOutsideColumns(judgesNamedIn(filters), columns)]);
  const baseParams = judgmentFiltersToParams(withoutPage(filters));
  // The page as its cursor names it (for the rows' links), and the pages on either side. j / k
  // past the page's last / first row go on to the next / previous page, opening its first / last row.
  const here = new URLSearchParams();
  if (filters.after) here.set("after", String(filters.after));
  if (filters.before) here.set("before", String(filters.before));
  const pageHref = (cursor: "after" | "before", id: number | null, open?: "first" | "last") => {
    if (id === null) return null;
    const params = new URLSearchParams(baseParams);
    params.set(cursor, String(id));
    if (open) params.set("open", open);
    return `/judgments?${params.toString()}`;
  };
  // k past the first row opens the row before it: on a previous page that is the first page (it
  // may reach past the cursor), the last row before the cursor.
  const lastBefore = filters.before ? page.rows.filter((r) => r.id < filters.before!).at(-1) : undefined;
  const opened = search.open === "first" ? page.rows[0]?.id : search.open === "last" ? (lastBefore ?? page.rows.at(-1))?.id : undefined;
  const item = rowIdOf(search.item) ?? opened ?? null;
  const isFirstPage = page.prevCursor === null;
  // An item opened beyond this page's ids (a link from the dataset page opens any response on the
  // first page): its neighbours are the pages on either side of it, not of this page.
  const ids = page.rows.map((r) => r.id);
  const beyond = item !== null && (ids.length === 0 || item < ids[0]! || item > ids.at(-1)!);

  return (
    <main>
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h1 className="text-xl font-semibold">Judgments</h1>
        {/* The count of a filter over a million responses can take seconds: the page streams
            first and the count follows. */}
        <div role="status">
          <Suspense fallback={<p className="text-slate-400" data-testid="match-count-pending">Counting matches…</p>}>
            <MatchCount filters={filters} columns={columns} />
          </Suspense>
        </div>
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
      {typeof search.missing === "string" && <MissingDatasetNotice asked={search.missing} shown={dataset.name} className="mt-3" />}
      {outside.length > 0 && (
        <p role="alert" className="mt-3 rounded-md bg-amber-50 px-4 py-2 text-amber-900" data-testid="filter-judges-outside">
          This filter names{" "}
          {outside
            .map((j) => (j.name === null ? `judge ${j.id}, which does not exist` : j.archived ? `${j.name}, which is archived` : `${j.name}, which has judged nothing in ${dataset.name}`))
            .join("; ")}
          : the list reads {outside.length === 1 ? "it" : "them"} as having judged nothing here (a &ldquo;not judged&rdquo; condition matches every response, any other none).{" "}
          <Link href={`/judgments?dataset=${dataset.id}`} className="underline">
            Reset filters
          </Link>
        </p>
      )}
      <FilterBar
        // Its fields are the form's own (uncontrolled): made afresh from the URL whenever the
        // filters in it change (Reset, Back, a link), or they would keep the page before's. (Not
        // when only the open item or the page does: what is typed in the search box stays.)
        key={baseParams.toString()}
        datasets={datasets.map((d) => ({ id: d.id, name: d.name }))}
        judges={columns.map((c) => ({ id: c.id, name: judgeName(c) }))}
        filters={{
          dataset: filters.dataset,
          verdict: Object.fromEntries(filters.verdict.map((v) => [v.judgeId, v.verdict])),
          disagree: typeof search.disagree === "string" ? search.disagree : "",
          label: filters.label ?? "",
          subject: filters.subject ?? "",
          model: filters.model ?? "",
          len: filters.len ?? "",
          q: filters.q ?? "",
        }}
        subjects={facets.value.subjects}
        policyModels={facets.value.policyModels}
        lengthBuckets={LENGTH_BUCKETS.map((b) => ({ key: b.key, label: b.label }))}
        band={
          filters.reward
            ? {
                param: rewardBandParam(filters.reward),
                text: `${judgeName(columns.find((c) => c.id === filters.reward!.judgeId) ?? { name: `judge ${filters.reward.judgeId}`, sizeLabel: "" })} soft reward in ${describeBand(filters.reward)}`,
                removeHref: `/judgments?${judgmentFiltersToParams({ ...withoutPage(filters), reward: undefined }).toString()}`,
              }
            : null
        }
      />
      {page.searchedTo && (
        <p className="mt-3 text-slate-600" data-testid="searched-to">
          {formatInt(page.rows.length)} {page.rows.length === 1 ? "match" : "matches"} among the responses{" "}
          {page.back ? `from #${page.searchedTo} up to #${filters.before}` : `up to #${page.searchedTo}`}: text search reads the dataset for a
          moment per page, and the {page.back ? "previous page continues before" : "next page continues after"} #{page.searchedTo}.
        </p>
      )}
      <JudgmentsTable rows={page.rows} columns={columns} baseParams={baseParams.toString()} cursor={here.toString()} selected={item} />
      <nav aria-label="Pages" className="mt-4 flex gap-4">
        {!isFirstPage && (
          <Link href={`/judgments?${baseParams.toString()}`} className="text-blue-700 hover:underline" data-testid="first-page">
            ⇤ First page
          </Link>
        )}
        {!isFirstPage && (
          <Link href={pageHref("before", page.prevCursor)!} className="text-blue-700 hover:underline" data-testid="previous-page">
            ← Previous page
          </Link>
        )}
        {page.nextCursor && (
          <Link href={pageHref("after", page.nextCursor)!} className="text-blue-700 hover:underline" data-testid="next-page">
            Next page →
          </Link>
        )}
      </nav>
      {item && (
        <DetailPanel
          responseId={item}
          rowIds={beyond ? [] : ids}
          nextPage={beyond ? pageHref("after", item, "first") : pageHref("after", page.nextCursor, "first")}
          previousPage={beyond ? pageHref("before", item, "last") : isFirstPage ? null : pageHref("before", page.prevCursor, "last")}
          canLabel={hasRole(user.role, "expert")}
          canAdjudicate={hasRole(user.role, "researcher")}
        />
      )}
    </main>
  );
}
