import type { Metadata } from "next";
import { preferredDataset } from "@/lib/datasets/preferred";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { filterForPeople, judgmentFiltersToParams, parseJudgmentFilters, withoutPage } from "@/lib/judgments/filters";
import { countJudgments, judgeColumns } from "@/lib/judgments/queries";
import { runChoices } from "@/lib/runs/queries";
import { NewRunForm } from "../_components/new-run-form";
import { rowIdOf } from "@/lib/db/values";

export const metadata: Metadata = { title: "New run" };

type TSearch = Record<string, string | string[] | undefined>;

export default async function NewRunPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("researcher");
  const search = await searchParams;
  const choices = await runChoices();
  // Only a judge the form offers starts ticked (not an archived one, say, which it would tick unseen).
  const asked = rowIdOf(search.judge) ?? undefined;
  const judge = choices.judges.some((j) => j.id === asked) ? asked : undefined;
  // Arriving from the judgments page: its filter, minus the dataset and paging.
  let filter = "";
  let matching: number | null = null;
  let datasetId: number | undefined;
  // A filter in the link that cannot be read is said, not dropped: dropped, the run would take the whole dataset.
  let unreadable: string | null = null;
  if (search.dataset) {
    const parsed = parseJudgmentFilters(search);
    if (!parsed.success) unreadable = parsed.error.issues.map((i) => `${i.path.join(".") || "filter"}: ${i.message}`).join("; ");
    if (parsed.success) {
      datasetId = parsed.data.dataset;
      const params = judgmentFiltersToParams({ ...withoutPage(parsed.data), dataset: undefined });
      filter = filterForPeople(params.toString());
      if (filter) matching = await countJudgments(withoutPage(parsed.data), await judgeColumns(parsed.data.dataset));
    }
  }
  return (
    <main className="max-w-3xl">
      <Link href="/runs" className="text-sm text-blue-700 hover:underline">
        ← Runs
      </Link>
      <h1 className="mt-2 text-xl font-semibold">New run</h1>
      <p className="mt-1 text-slate-600">
        Each judge judges each selected response once per template version (or as many times as the samples asked for); what is already judged is skipped unless you ask to judge it again. Workers pick the run up within a
        second.
      </p>
      {unreadable && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-4 py-3 text-red-800" data-testid="filter-unreadable">
          The filter in this link cannot be read ({unreadable}), so it is not used: as it stands, the run would take the whole dataset. Go back to the judgments list and open
          &ldquo;Run judges on these&rdquo; again, or type the filter below.
        </p>
      )}
      <NewRunForm choices={choices} initial={{ datasetId: datasetId ?? (await preferredDataset(choices.datasets))?.id, judgeIds: judge ? [judge] : [], filter }} matching={matching} />
    </main>
  );
}
