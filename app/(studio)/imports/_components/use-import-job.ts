"use client";

import { useQuery } from "@tanstack/react-query";
import type { TImportJobView } from "@/lib/io/queries";
import { getJson, importKeys, isActive } from "./keys";

export type TImportJobJson = TImportJobView & { rejects: { line: number; field: string; reason: string }[] };

/** One job, polled every second while it runs (so a reload picks the live counters up again). */
export function useImportJob(id: number, initial: TImportJobJson) {
  return useQuery({
    queryKey: importKeys.job(id),
    queryFn: () => getJson<TImportJobJson>(`/api/v1/imports/${id}`),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? 1000 : false),
  });
}

export function useImportJobs(initial: TImportJobView[]) {
  return useQuery({
    queryKey: importKeys.list(),
    queryFn: async () => (await getJson<{ jobs: TImportJobView[] }>("/api/v1/imports")).jobs,
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.some((j) => isActive(j.status)) ? 1500 : false),
  });
}
