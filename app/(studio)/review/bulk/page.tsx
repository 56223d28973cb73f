import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { judgeColumns } from "@/lib/judgments/queries";
import { filterQueryOf } from "@/lib/judgments/filters";
import { mayUndoBulkRelabel } from "@/lib/labels/bulk-relabel";
import { recentBulkRelabels } from "@/lib/review/queries";
import { describeSource, sourceFilters } from "@/lib/review/source";
import { BulkRelabelForm } from "../_components/bulk-relabel-form";
import { judgeName } from "@/lib/judges/name";

export const metadata: Metadata = { title: "Bulk relabel" };

type TSearch = Record<string, string | string[] | undefined>;

export default async function BulkRelabelPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const user = await requirePageRole("researcher");
  const search = await searchParams;
  const filter = filterQueryOf(search);
  let datasetId: number;
  try {
    datasetId = sourceFilters(filter).dataset;
  } catch {
    return (
      <main>
        <h1 className="text-xl font-semibold">Bulk relabel</h1>
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-4 py-3 text-red-800">
          Bulk relabel works on a judgments filter with a dataset. <Link href="/judgments" className="underline">Filter the judgments</Link>
        </p>
      </main>
    );
  }
  const [columns, batches] = await Promise.all([judgeColumns(datasetId), recentBulkRelabels(datasetId)]);
  const judgeById = (id: number) => {
    const c = columns.find((x) => x.id === id);
    return c ? judgeName(c) : `judge ${id}`;
  };
  return (
    <main className="max-w-3xl">
      <h1 className="text-xl font-semibold">Bulk relabel</h1>
      <p className="mt-2 text-slate-600">
        Sets <strong>your own label</strong> ({user.name}) on every response of{" "}
        <span className="font-medium text-slate-900" data-testid="bulk-filter">
          {describeSource({ filter }, judgeById)}
        </span>{" "}
        <Link href={`/judgments?${filter}`} className="text-sm text-blue-700 hover:underline">
          back to the list
        </Link>
        . Each change is in the label history, and the whole step can be undone.
      </p>
      <BulkRelabelForm
        filter={filter}
        batches={batches.map((b) => ({
          id: b.id,
          value: b.value,
          note: b.note,
          changed: b.changed,
          createdAt: b.createdAt.toISOString(),
          by: b.createdBy?.name ?? "—",
          undoneAt: b.undoneAt?.toISOString() ?? null,
          undoneBy: b.undoneBy?.name ?? null,
          mayUndo: mayUndoBulkRelabel(b.createdById, user),
          filter: describeSource({ filter: b.filter }, judgeById),
        }))}
      />
    </main>
  );
}
