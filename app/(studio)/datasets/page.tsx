import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { listDatasets } from "@/lib/datasets/queries";
import { formatInt } from "@/components/ui/format";
import { ListTable } from "@/components/ui/list-table";
import { judgeName } from "@/lib/judges/name";
import { RefreshWhile } from "@/components/ui/refresh-while";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  await requirePageRole("viewer");
  const datasets = await listDatasets();
  return (
    <main>
      <h1 className="text-xl font-semibold">Datasets</h1>
      <RefreshWhile active={datasets.some((d) => d.deletingAt)} />
      {datasets.length === 0 ? (
        <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
          <p className="font-medium text-slate-800">No datasets yet.</p>
          <p className="mt-1">
            Import one on the <Link href="/imports/new" className="text-blue-700 hover:underline">Imports</Link> page (researchers), or from the command line:{" "}
            <code className="rounded bg-slate-100 px-1">npm run studio -- import file.jsonl --dataset name</code>
          </p>
        </div>
      ) : (
        <ListTable className="mt-4"
          head={
            <>
              <th className="px-4 py-2 font-medium">Name</th>
              <th className="px-4 py-2 text-right font-medium">Questions</th>
              <th className="px-4 py-2 text-right font-medium">Responses</th>
              <th className="px-4 py-2 text-right font-medium">With expert label</th>
              <th className="px-4 py-2 font-medium">Judges</th>
              <th className="px-4 py-2 font-medium">
                <span className="sr-only">Views</span>
              </th>
            </>
          }
        >
          {datasets.map((d) => (
            <tr key={d.id}>
              <td className="px-4 py-3">
                <Link href={`/datasets/${d.id}`} className="font-medium text-blue-700 hover:underline">
                  {d.name}
                </Link>
                {d.deletingAt && (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900" data-testid="dataset-deleting">
                    being deleted
                  </span>
                )}
                {d.description && <p className="mt-0.5 max-w-xl text-xs text-slate-500">{d.description}</p>}
              </td>
              <td className="px-4 py-3 text-right tabular-nums">{formatInt(d.questions)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{formatInt(d.responses)}</td>
              <td className="px-4 py-3 text-right tabular-nums">{formatInt(d.labeled)}</td>
              <td className="px-4 py-3">{d.judges.map(judgeName).join(", ") || "—"}</td>
              <td className="px-4 py-3 text-right whitespace-nowrap">
                {!d.deletingAt && (
                  <>
                    <Link href={`/judgments?dataset=${d.id}`} className="text-blue-700 hover:underline">
                      Judgments
                    </Link>
                    <span className="mx-2 text-slate-300">·</span>
                    <Link href={`/analytics?dataset=${d.id}`} className="text-blue-700 hover:underline">
                      Analytics
                    </Link>
                  </>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
    </main>
  );
}
