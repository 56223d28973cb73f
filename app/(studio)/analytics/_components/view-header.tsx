"use client";

// Title, dataset picker and the freshness of the figures below. The picker is a GET form: the
// URL is the state.
import { useSearchParams } from "next/navigation";
import { useRef, type ReactNode } from "react";
import { MissingDatasetNotice } from "@/components/ui/missing-dataset";
import { RefreshWhile } from "@/components/ui/refresh-while";
import { formatWhen } from "@/components/ui/format";

type TProps = {
  title: string;
  path: string;
  datasetId: number;
  datasets: { id: number; name: string }[];
  /** the newest computation shown on the page (current figures are as of it: lib/stats/snapshot.ts freshness) */
  computedAt?: string;
  /** the oldest of the figures' computations: what stored figures shown while updating date from */
  oldestAt?: string;
  computedMs?: number;
  /** the figures shown are the ones stored before, while newer ones are computed (lib/stats/budget.ts) */
  updating?: boolean;
  /** judges the URL names that the view cannot show (lib/stats/scope.ts): said, as the page shows another */
  outside?: { id: number; name: string | null; archived: boolean }[];
  children?: ReactNode;
};

export function ViewHeader({ title, path, datasetId, datasets, computedAt, oldestAt, computedMs, updating = false, outside = [], children }: TProps) {
  const form = useRef<HTMLFormElement>(null);
  // A link to a dataset that is gone (or an id that is none) lands on the newest one: said, not silent.
  const missing = useSearchParams().get("missing");
  return (
    <div className="flex flex-wrap items-end gap-x-6 gap-y-2">
      {missing !== null && <MissingDatasetNotice asked={missing} shown={datasets.find((d) => d.id === datasetId)?.name ?? "another one"} className="w-full" />}
      {outside.length > 0 && (
        <p role="alert" className="w-full rounded-md bg-amber-50 px-4 py-2 text-amber-900" data-testid="judges-outside">
          This link names{" "}
          {outside
            .map((j) => (j.name === null ? `judge ${j.id}, which does not exist` : j.archived ? `${j.name}, which is archived` : `${j.name}, which has judged nothing in this dataset`))
            .join("; ")}
          : the figures below are of {outside.length === 1 ? "another judge" : "other judges"}.
        </p>
      )}
      {/* On a phone the text takes the width and the picker goes below it, not beside it in a narrow column. */}
      <div className="min-w-0 flex-1 basis-full sm:basis-0">
        <h1 className="text-xl font-semibold">{title}</h1>
        {children && <div className="mt-1 max-w-3xl text-slate-600">{children}</div>}
      </div>
      <form ref={form} method="get" action={path} className="flex items-end gap-2">
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-500">Dataset</span>
          <select name="dataset" defaultValue={datasetId} onChange={() => form.current?.requestSubmit()} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <noscript>
          <button type="submit" className="rounded-md border border-slate-300 px-2 py-1.5">
            Show
          </button>
        </noscript>
      </form>
      {computedAt && !updating && (
        <p className="w-full text-xs text-slate-400" data-testid="freshness">
          Figures as of {formatWhen(computedAt)} UTC
          {computedMs !== undefined && ` (computed in ${computedMs < 1000 ? `${computedMs} ms` : `${(computedMs / 1000).toFixed(1)} s`})`}; they are recomputed
          whenever judgments or labels change.
        </p>
      )}
      {computedAt && updating && (
        <p role="status" className="w-full rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-800" data-testid="freshness-updating">
          Updating: the data has changed since these figures were computed ({formatWhen(oldestAt ?? computedAt)} UTC). The new figures are being computed;
          this page reloads when they are ready.
          <RefreshWhile active />
        </p>
      )}
    </div>
  );
}
