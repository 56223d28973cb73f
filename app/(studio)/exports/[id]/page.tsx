import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatWhen } from "@/components/ui/format";
import { requirePageRole } from "@/lib/auth/session";
import { mayDeleteExportFiles } from "@/lib/io/export/files";
import { getExport } from "@/lib/io/queries";
import { ExportDetail } from "../_components/export-detail";
import { ZRowIdParam } from "@/lib/db/values";

export const metadata: Metadata = { title: "Export" };

export default async function ExportPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageRole("researcher");
  const parsed = ZRowIdParam.safeParse((await params).id);
  if (!parsed.success) notFound();
  const row = await getExport(parsed.data);
  if (!row) notFound();
  return (
    <main>
      <nav className="text-xs text-slate-500" aria-label="Breadcrumb">
        <Link href="/exports" className="hover:underline">Exports</Link> / {row.id}
      </nav>
      <h1 className="mt-1 text-xl font-semibold">
        {row.kind} export of {row.datasetName ?? "a deleted dataset"}
        {row.datasetDeleted && row.datasetName && <span className="ml-2 text-base font-normal text-slate-500">(deleted since)</span>}
      </h1>
      <p className="mt-1 text-slate-600">
        by {row.createdBy?.name ?? row.source} · {formatWhen(row.createdAt)} UTC
      </p>
      <p className="mt-1 text-sm text-slate-500">{row.summary}</p>
      <ExportDetail initial={row} canDelete={mayDeleteExportFiles(row.createdById, user)} />
    </main>
  );
}
