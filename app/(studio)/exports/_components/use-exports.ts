"use client";

import { useQuery } from "@tanstack/react-query";
import type { TExportView } from "@/lib/io/queries";

export const exportKeys = {
  all: ["exports"] as const,
  list: () => [...exportKeys.all, "list"] as const,
  one: (id: number) => [...exportKeys.all, "one", id] as const,
};

const active = (s: string) => s === "queued" || s === "running";

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = (await response.json().catch(() => null)) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body?.error?.message ?? `request failed (${response.status})`);
  return body;
}

export function useExports(initial: TExportView[]) {
  return useQuery({
    queryKey: exportKeys.list(),
    queryFn: async () => (await getJson<{ exports: TExportView[] }>("/api/v1/exports")).exports,
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.some((e) => active(e.status)) ? 1000 : false),
  });
}

export function useExport(initial: TExportView) {
  return useQuery({
    queryKey: exportKeys.one(initial.id),
    queryFn: () => getJson<TExportView>(`/api/v1/exports/${initial.id}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && active(q.state.data.status) ? 1000 : false),
  });
}
