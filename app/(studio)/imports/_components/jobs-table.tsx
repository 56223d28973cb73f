"use client";

import Link from "next/link";
import { StatusBadge } from "@/components/ui/job-status";
import { formatBytes, formatInt, formatWhen } from "@/components/ui/format";
import type { TImportJobView } from "@/lib/io/queries";
import { insertedLabel } from "./keys";
import { useImportJobs } from "./use-import-job";
import { ListTable } from "@/components/ui/list-table";

export function JobsTable({ initial }: { initial: TImportJobView[] }) {
  const { data: jobs } = useImportJobs(initial);
  if (jobs.length === 0) {
    return (
      <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
        <p className="font-medium text-slate-800">No imports yet.</p>
        <p className="mt-1">
          Start one with <Link href="/imports/new" className="text-blue-700 hover:underline">New import</Link>, or from the terminal:{" "}
          <code className="rounded bg-slate-100 px-1">npm run studio -- import file.jsonl --dataset name</code>
        </p>
      </div>
    );
  }
  return (
    <ListTable className="mt-4"
      head={
        <>
          <th className="px-4 py-2 font-medium">Job</th>
          <th className="px-4 py-2 font-medium">File</th>
          <th className="px-4 py-2 font-medium">Dataset</th>
          <th className="px-4 py-2 font-medium">Status</th>
          <th className="px-4 py-2 text-right font-medium">Rows read</th>
          <th className="px-4 py-2 text-right font-medium">Inserted</th>
          <th className="px-4 py-2 text-right font-medium">Rejected</th>
          <th className="px-4 py-2 font-medium">Started</th>
        </>
      }
    >
      {jobs.map((j) => (
        <tr key={j.id}>
          <td className="px-4 py-2">
            <Link href={`/imports/${j.id}`} className="text-blue-700 hover:underline">#{j.id}</Link>
          </td>
          <td className="px-4 py-2">
            {j.fileName} <span className="text-xs text-slate-500">{formatBytes(j.fileBytes)} · {j.kind} · {j.source}</span>
          </td>
          <td className="px-4 py-2">{j.datasetId ? <Link href={`/datasets/${j.datasetId}`} className="text-blue-700 hover:underline">{j.datasetName}</Link> : j.datasetName}</td>
          <td className="px-4 py-2">
            <StatusBadge status={j.status} />
            {j.rerunAsId !== null && (
              <Link href={`/imports/${j.rerunAsId}`} className="ml-2 text-xs text-blue-700 hover:underline">run again as #{j.rerunAsId}</Link>
            )}
          </td>
          <td className="px-4 py-2 text-right tabular-nums">{formatInt(j.rowsRead)}</td>
          <td className="px-4 py-2 text-right tabular-nums" data-testid="jobs-inserted">{insertedLabel(j, formatInt)}</td>
          <td className="px-4 py-2 text-right tabular-nums">{formatInt(j.rejected)}</td>
          <td className="px-4 py-2 text-slate-600">{formatWhen(j.createdAt)} UTC{j.createdBy ? ` · ${j.createdBy.name}` : ""}</td>
        </tr>
      ))}
    </ListTable>
  );
}
