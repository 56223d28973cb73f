import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listQueues } from "@/lib/review/queries";
import { formatInt } from "@/components/ui/format";
import { ProgressBar } from "./_components/progress-bar";

export const metadata: Metadata = { title: "Review" };

export default async function ReviewPage() {
  const user = await requirePageRole("viewer");
  const queues = await listQueues(user.id);
  const canCreate = hasRole(user.role, "researcher");
  return (
    <main>
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-xl font-semibold">Review queues</h1>
        {canCreate && (
          <p className="text-sm text-slate-600">
            To create a queue, filter the{" "}
            <Link href="/judgments" className="text-blue-700 hover:underline">
              judgments
            </Link>{" "}
            (or open a cell of the agreement matrix) and choose “Create review queue”.
          </p>
        )}
      </div>
      {queues.length === 0 ? (
        <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">No review queue yet.</div>
      ) : (
        <div className="mt-4 overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-left" data-testid="queues-table">
            <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
              <tr>
                <th className="px-3 py-2 font-medium">Queue</th>
                <th className="px-3 py-2 font-medium">Dataset</th>
                <th className="px-3 py-2 font-medium">Items</th>
                <th className="px-3 py-2 font-medium">Overlap</th>
                <th className="px-3 py-2 font-medium">Progress (labels)</th>
                <th className="px-3 py-2 font-medium">You</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {queues.map((q) => (
                <tr key={q.id} data-queue-id={q.id}>
                  <td className="px-3 py-2">
                    <Link href={`/review/${q.id}`} className="font-medium text-blue-700 hover:underline">
                      {q.name}
                    </Link>
                    {q.blind && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">blind</span>}
                  </td>
                  <td className="px-3 py-2 text-slate-600">{q.datasetName}</td>
                  <td className="px-3 py-2 tabular-nums">{formatInt(q.itemCount)}</td>
                  <td className="px-3 py-2 tabular-nums">{q.overlap}</td>
                  <td className="min-w-48 px-3 py-2">
                    <ProgressBar done={q.labelsDone} total={q.itemCount * q.overlap} />
                  </td>
                  <td className="px-3 py-2 text-sm text-slate-600">{q.isMember ? `${formatInt(q.myDone)} labeled` : "—"}</td>
                  <td className="px-3 py-2 text-right">
                    {q.isMember &&
                      hasRole(user.role, "expert") &&
                      (q.labelsDone >= q.itemCount * q.overlap ? (
                        // Every label the queue asks for is in: nothing left to hand out, only to look back at.
                        <Link href={`/review/${q.id}/label`} className="text-sm text-slate-600 hover:underline">
                          Done: open
                        </Link>
                      ) : (
                        <Link href={`/review/${q.id}/label`} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-600">
                          Label
                        </Link>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
