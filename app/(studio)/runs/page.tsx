import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listRuns, liveWorkers } from "@/lib/runs/queries";
import { RunsList } from "./_components/runs-list";
import { rowIdOf } from "@/lib/db/values";

export const metadata: Metadata = { title: "Runs" };

type TSearch = Record<string, string | string[] | undefined>;
const id = (v: string | string[] | undefined) => rowIdOf(v) ?? undefined;

export default async function RunsPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const user = await requirePageRole("viewer");
  const search = await searchParams;
  const filters = { judge: id(search.judge), dataset: id(search.dataset) };
  const [page, workers] = await Promise.all([listRuns({ judgeId: filters.judge, datasetId: filters.dataset }), liveWorkers()]);
  const initial = JSON.parse(JSON.stringify(page.runs));
  return (
    <main>
      <div className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-xl font-semibold">Runs</h1>
        <p className="text-slate-600" data-testid="workers-online">
          {workers.length === 0 ? (
            <span className="text-amber-800">No worker running: runs wait until one starts (npm run worker).</span>
          ) : (
            `${workers.length} ${workers.length === 1 ? "worker" : "workers"} online (${[...new Set(workers.map((w) => w.hostname))].join(", ")})`
          )}
        </p>
        {(filters.judge || filters.dataset) && (
          <Link href="/runs" className="text-sm text-blue-700 hover:underline">
            Show all runs
          </Link>
        )}
        {hasRole(user.role, "researcher") && (
          <Link href="/runs/new" className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
            New run
          </Link>
        )}
      </div>
      <RunsList filters={filters} initial={initial} />
    </main>
  );
}
