import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { listDatasets } from "@/lib/datasets/queries";
import { judgeColumns } from "@/lib/judgments/queries";
import { filterQueryOf } from "@/lib/judgments/filters";
import { labelers } from "@/lib/review/queries";
import { describeSource, sourceFilters } from "@/lib/review/source";
import { CreateQueueForm } from "../_components/create-queue-form";
import { judgeName } from "@/lib/judges/name";

export const metadata: Metadata = { title: "New review queue" };

type TSearch = Record<string, string | string[] | undefined>;

export default async function NewQueuePage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requirePageRole("researcher");
  const search = await searchParams;
  if (!search.dataset) {
    const [first] = await listDatasets();
    return (
      <main>
        <h1 className="text-xl font-semibold">New review queue</h1>
        <p className="mt-4 text-slate-600">
          A queue starts from a judgments filter.{" "}
          {first ? (
            <Link href={`/judgments?dataset=${first.id}`} className="text-blue-700 hover:underline">
              Filter the judgments
            </Link>
          ) : (
            "Import a dataset first."
          )}
        </p>
      </main>
    );
  }
  const filter = filterQueryOf(search);
  let datasetId: number;
  try {
    datasetId = sourceFilters(filter).dataset;
  } catch {
    return (
      <main>
        <h1 className="text-xl font-semibold">New review queue</h1>
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-4 py-3 text-red-800">
          This filter cannot be read. <Link href="/judgments" className="underline">Back to the judgments</Link>
        </p>
      </main>
    );
  }
  const [columns, people] = await Promise.all([judgeColumns(datasetId), labelers()]);
  const judges = columns.map((c) => ({ id: c.id, name: judgeName(c) }));
  const judgeById = (id: number) => judges.find((j) => j.id === id)?.name ?? `judge ${id}`;
  const description = describeSource({ filter }, judgeById);
  return (
    <main className="max-w-3xl">
      <h1 className="text-xl font-semibold">New review queue</h1>
      <p className="mt-2 text-slate-600">
        From the judgments filter <span className="font-medium text-slate-900" data-testid="new-queue-filter">{description}</span>{" "}
        <Link href={`/judgments?${filter}`} className="text-sm text-blue-700 hover:underline">
          change it
        </Link>
      </p>
      <CreateQueueForm filter={filter} judges={judges} bandJudgeId={filterJudge(filter, judges)} people={people.map((p) => ({ id: p.id, name: p.name, role: p.role }))} />
    </main>
  );
}

/** The first judge the filter names with its answers (a verdict, a disagreement), to start a band on; not one it names for having none. */
function filterJudge(filter: string, judges: { id: number }[]): number | undefined {
  const f = sourceFilters(filter);
  const answered = f.verdict.filter((v) => v.verdict !== "NONE" && v.verdict !== "FAILED").map((v) => v.judgeId);
  const named = [...answered, ...(f.disagree ?? []).flatMap((r) => (r.kind === "judge" ? [r.judgeId] : []))];
  return named.find((id) => judges.some((j) => j.id === id));
}
