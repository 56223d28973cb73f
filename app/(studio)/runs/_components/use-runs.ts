"use client";
// Runs, live: lists and progress poll the REST API while something is moving.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { controlRunAction, startRunsAction } from "@/lib/runs/actions";
import type { TRunProgress } from "@/lib/runs/progress";
import type { TRunRow } from "@/lib/runs/queries";
import { runKeys } from "./keys";

type Serialized<T> = T extends Date ? string : T extends (infer U)[] ? Serialized<U>[] : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;
export type TRunRowJson = Serialized<TRunRow>;

const ACTIVE = new Set(["queued", "running"]);

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? `request failed (${res.status})`);
  return body.data as T;
}

export function useRuns(filters: { judge?: number; dataset?: number }, initial: TRunRowJson[]) {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  return useQuery({
    queryKey: runKeys.list(filters),
    queryFn: () => getJson<TRunRowJson[]>(`/api/v1/runs?${params}`),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.some((r) => ACTIVE.has(r.status)) ? 2000 : 10_000),
  });
}

export function useRunProgress(runId: number, initial: TRunProgress) {
  return useQuery({
    queryKey: runKeys.progress(runId),
    queryFn: () => getJson<TRunProgress>(`/api/v1/runs/${runId}`),
    initialData: initial,
    refetchInterval: (query) => (ACTIVE.has(query.state.data?.status ?? "") ? 1000 : query.state.data?.status === "paused" ? 3000 : false),
  });
}

type TResult<T> = { ok: true; data: T } | { ok: false; error: { message: string } };
async function unwrap<T>(promise: Promise<TResult<T>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

export function useControlRun(runId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: "pause" | "resume" | "cancel") => unwrap(controlRunAction({ runId, action })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runKeys.all }),
  });
}

export function useStartRuns() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Parameters<typeof startRunsAction>[0]) => unwrap(startRunsAction(input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: runKeys.all }),
  });
}
