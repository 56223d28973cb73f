"use client";

import { useQuery } from "@tanstack/react-query";
import type { TResponseDetail } from "@/lib/judgments/queries";
import { judgmentKeys } from "./keys";

/** What JSON makes of a type: dates become strings. */
type Serialized<T> = T extends Date ? string : T extends (infer U)[] ? Serialized<U>[] : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;
export type TResponseDetailJson = Serialized<TResponseDetail> & { myLabel: { value: string; note: string; version: number } | null };

export function useResponseDetail(responseId: number) {
  return useQuery({
    queryKey: judgmentKeys.detail(responseId),
    queryFn: async (): Promise<TResponseDetailJson> => {
      const res = await fetch(`/api/v1/responses/${responseId}`, { headers: { accept: "application/json" } });
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `request failed (${res.status})`);
      return body.data as TResponseDetailJson;
    },
  });
}
