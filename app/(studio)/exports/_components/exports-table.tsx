"use client";

import Link from "next/link";
import { StatusBadge } from "@/components/ui/job-status";
import { formatInt, formatWhen } from "@/components/ui/format";
import type { TExportView } from "@/lib/io/queries";
import { useExports } from "./use-exports";
import { ListTable } from "@/components/ui/list-table";

export function ExportsTable({ initial }: { initial: TExportView[] }) {
  const { data: rows } = useExports(initial);
  if (rows.length === 0) return <p className="mt-4 text-slate-600">No exports yet.</p>;
  return (
    <ListTable className="mt-2"
      head={
        <>
          <th className="px-4 py-2 font-medium">Export</th>
          <th className="px-4 py-2 font-medium">Kind, options</th>
          <th className="px-4 py-2 font-medium">Dataset</th>
          <th className="px-4 py-2 font-medium">Status</th>
          <th className="px-4 py-2 text-right font-medium">Rows</th>
          <th className="px-4 py-2 font-medium">By, when</th>
        </>
      }
    >
      {rows.map((e) => (
        <tr key={e.id}>
          <td className="px-4 py-2"><Link href={`/exports/${e.id}`} className="text-blue-700 hover:underline">#{e.id}</Link></td>
          <td className="px-4 py-2">
            {e.kind}
            <div className="text-xs text-slate-500" data-testid="export-summary">{e.summary}</div>
          </td>
          <td className="px-4 py-2">
            {e.datasetName ?? "—"}
            {e.datasetDeleted && <span className="ml-1 text-xs text-slate-500">(deleted)</span>}
          </td>
          <td className="px-4 py-2">
            <StatusBadge status={e.status} />
            {e.filesDeletedAt && <span className="ml-2 text-xs text-slate-500">files deleted</span>}
          </td>
          <td className="px-4 py-2 text-right tabular-nums">{formatInt(e.rows)}</td>
          <td className="px-4 py-2 text-slate-600">{e.createdBy?.name ?? e.source} · {formatWhen(e.createdAt)} UTC</td>
        </tr>
      ))}
    </ListTable>
  );
}
