"use client";

import Link from "next/link";
import { StatusBadge } from "@/components/ui/job-status";
import { formatInt } from "@/components/ui/format";
import type { TExportView } from "@/lib/io/queries";
import { useExports } from "./use-exports";

export function ExportsTable({ initial }: { initial: TExportView[] }) {
  const { data: rows } = useExports(initial);
  if (rows.length === 0) return <p className="mt-4 text-slate-600">No exports yet.</p>;
  return (
    <table className="mt-2 w-full overflow-hidden rounded-lg bg-white text-left shadow-sm ring-1 ring-slate-200">
      <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
        <tr>
          <th className="px-4 py-2 font-medium">Export</th>
          <th className="px-4 py-2 font-medium">Kind</th>
          <th className="px-4 py-2 font-medium">Dataset</th>
          <th className="px-4 py-2 font-medium">Status</th>
          <th className="px-4 py-2 text-right font-medium">Rows</th>
          <th className="px-4 py-2 font-medium">By, when</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((e) => (
          <tr key={e.id}>
            <td className="px-4 py-2"><Link href={`/exports/${e.id}`} className="text-blue-700 hover:underline">#{e.id}</Link></td>
            <td className="px-4 py-2">{e.kind}</td>
            <td className="px-4 py-2">{e.dataset?.name ?? "—"}</td>
            <td className="px-4 py-2"><StatusBadge status={e.status} /></td>
            <td className="px-4 py-2 text-right tabular-nums">{formatInt(e.rows)}</td>
            <td className="px-4 py-2 text-slate-600">{e.createdBy?.name ?? e.source} · {new Date(e.createdAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
