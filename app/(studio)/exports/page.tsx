import { DEFAULT_SYSTEM_MESSAGE } from "@/lib/verifier/template";
import type { Metadata } from "next";
import { preferredDataset } from "@/lib/datasets/preferred";
import { requirePageRole } from "@/lib/auth/session";
import { rowIdOf } from "@/lib/db/values";
import { exportChoices, listExports } from "@/lib/io/queries";
import { ExportForm } from "./_components/export-form";
import { ExportsTable } from "./_components/exports-table";

export const metadata: Metadata = { title: "Exports" };

export default async function ExportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("researcher");
  const asked = rowIdOf((await searchParams).dataset) ?? undefined;
  const [choices, exports] = await Promise.all([exportChoices(), listExports()]);
  const initialDatasetId = asked ?? (await preferredDataset(choices))?.id;
  return (
    <main>
      <h1 className="text-xl font-semibold">Exports</h1>
      <p className="mt-1 max-w-3xl text-slate-600">
        Each export is recorded with who asked for it, when and with which options, and writes a manifest with the sha256 of every file.
        The same data, options and seed give byte-identical files.
      </p>
      <ExportForm choices={choices} initialDatasetId={initialDatasetId} defaultSystemMessage={DEFAULT_SYSTEM_MESSAGE} />
      <h2 className="mt-8 font-semibold">Recent exports</h2>
      <ExportsTable initial={exports} />
    </main>
  );
}
