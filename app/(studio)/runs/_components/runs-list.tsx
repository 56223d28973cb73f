"use client";
// The runs table, refreshed every 2 s while a run is queued or running.
import Link from "next/link";
import { RunStatusBadge } from "@/components/ui/badges";
import { formatWhen } from "@/components/ui/format";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useRuns, type TRunRowJson } from "./use-runs";
import { ListTable } from "@/components/ui/list-table";

const SOURCE: Record<string, string> = { ui: "studio", cli: "command line", api: "API", import: "import" };

export function RunsList({ filters, initial }: { filters: { judge?: number; dataset?: number }; initial: TRunRowJson[] }) {
  const { data: runs, isError, error } = useRuns(filters, initial);
  if (runs.length === 0) {
    return (
      <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
        <p className="font-medium text-slate-800">No runs yet.</p>
        <p className="mt-1">Start one over a dataset, or over the responses a judgments filter selects.</p>
      </div>
    );
  }
  return (
    <>
      {isError && (
        <p role="alert" className="mt-3 text-sm text-red-700">
          Could not refresh: {error.message}
        </p>
      )}
      <ListTable className="mt-4" data-testid="runs-table"
        head={
          <>
            <th className="px-4 py-2 font-medium">Run</th>
            <th className="px-4 py-2 font-medium">Judge</th>
            <th className="px-4 py-2 font-medium">Dataset</th>
            <th className="px-4 py-2 font-medium">Status</th>
            <th className="px-4 py-2 font-medium">Progress</th>
            <th className="px-4 py-2 font-medium">Started by</th>
            <th className="px-4 py-2 font-medium">Created (UTC)</th>
          </>
        }
      >
        {runs.map((r) => (
          <tr key={r.id} data-run-id={r.id}>
            <td className="px-4 py-3">
              <Link href={`/runs/${r.id}`} className="font-medium text-blue-700 hover:underline">
                Run {r.id}
              </Link>
            </td>
            <td className="px-4 py-3">
              {r.judge.name}
              {r.judge.sizeLabel && <span className="ml-1.5 rounded bg-slate-100 px-1 text-xs text-slate-600">{r.judge.sizeLabel}</span>}
            </td>
            <td className="px-4 py-3">{r.dataset.name}</td>
            <td className="px-4 py-3">
              <RunStatusBadge status={r.status} failed={r.failed} />
            </td>
            <td className="px-4 py-3">
              <ProgressBar done={r.done} failed={r.failed} total={r.total} compact />
              {r.samples > 1 && (
                <span className="mt-0.5 block text-xs text-slate-500" title="The counts are of judgments: responses x samples">
                  {r.samples} samples per item
                </span>
              )}
            </td>
            <td className="px-4 py-3 text-sm">
              {r.createdBy ?? "—"} <span className="text-slate-500">({SOURCE[r.source] ?? r.source})</span>
            </td>
            <td className="px-4 py-3 text-sm text-slate-600 tabular-nums">{formatWhen(r.createdAt)}</td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
