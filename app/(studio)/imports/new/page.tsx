import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { listDatasetNames } from "@/lib/datasets/queries";
import { ImportWizard } from "../_components/wizard";

export const metadata: Metadata = { title: "New import" };

export default async function NewImportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("researcher");
  // From a dataset's page: the dataset to import into, still editable in the wizard.
  const asked = (await searchParams).dataset;
  const datasets = await listDatasetNames();
  return (
    <main>
      <nav className="text-xs text-slate-500" aria-label="Breadcrumb">
        <Link href="/imports" className="hover:underline">Imports</Link> / new
      </nav>
      <h1 className="mt-1 text-xl font-semibold">New import</h1>
      <ImportWizard datasets={datasets.map((d) => d.name)} initialDataset={typeof asked === "string" && asked ? asked.slice(0, 200) : undefined} />
    </main>
  );
}
