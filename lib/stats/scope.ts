// What every analytics page starts from: the dataset in the URL (or the newest one), its judges
// and raters. Pages call it after their role check.
import { preferredDataset } from "@/lib/datasets/preferred";
import "server-only";
import { redirect } from "next/navigation";
import { getDataset, listDatasetNames } from "@/lib/datasets/queries";
import { judgeColumns, judgesOutsideColumns, type TJudgeColumn } from "@/lib/judgments/queries";
import { ratersOf } from "./agreement-queries";
import type { TRaterRef } from "./sql";
import { rowIdOf } from "@/lib/db/values";

export type TSearch = Record<string, string | string[] | undefined>;

export type TAnalyticsScope = {
  dataset: { id: number; name: string };
  datasets: { id: number; name: string }[];
  judges: TJudgeColumn[];
  raters: TRaterRef[];
  /** judges the URL names (judge=, a=, b=) that are not the dataset's: archived, without judgments here, or none; the page shows another */
  outside: { id: number; name: string | null; archived: boolean }[];
};

export const param = (search: TSearch, key: string) => {
  const v = search[key];
  return (Array.isArray(v) ? v[0] : v) || undefined;
};

/** The scope of `path`, or null when there is no dataset at all (the page shows its empty state). */
export async function analyticsScope(search: TSearch, path: string): Promise<TAnalyticsScope | null> {
  const datasets = await listDatasetNames();
  const raw = param(search, "dataset");
  if (raw === undefined) {
    const preferred = await preferredDataset(datasets);
    if (!preferred) return null;
    redirect(withDataset(path, search, preferred.id));
  }
  const id = rowIdOf(raw);
  const scope = id === null ? null : await datasetScope(id);
  // To the newest dataset, saying which one was asked for (the page's header shows it).
  if (!scope) redirect(withDataset(path, { ...search, missing: raw.slice(0, 100) }, null));
  const named = ["judge", "a", "b"].flatMap((key) => {
    const ref = rowIdOf(param(search, key));
    return ref === null ? [] : [ref];
  });
  return { ...scope, datasets, outside: await judgesOutsideColumns([...new Set(named)], scope.judges) };
}

/** `path` with the URL's other parameters kept (a shared link's judge, reward, batch...) and the dataset set, or left out (null). */
export function withDataset(path: string, search: TSearch, datasetId: number | null): string {
  const query = new URLSearchParams();
  if (datasetId !== null) query.set("dataset", String(datasetId));
  for (const [key, value] of Object.entries(search)) {
    if (key === "dataset" || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A dataset with its judges and raters; null when there is no such dataset. */
export async function datasetScope(id: number): Promise<Omit<TAnalyticsScope, "datasets" | "outside"> | null> {
  const dataset = await getDataset(id);
  if (!dataset) return null;
  const judges = await judgeColumns(dataset.id);
  return { dataset: { id: dataset.id, name: dataset.name }, judges, raters: ratersOf(judges) };
}

export { judgeName } from "@/lib/judges/name";
