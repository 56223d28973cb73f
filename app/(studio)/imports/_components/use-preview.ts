"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { TPreview } from "@/lib/io/preview";
import { getJson, importKeys } from "./keys";

export type TPreviewSpec = { kind: string; format?: string; mapping: Record<string, string>; annotator?: string; judge?: string };

export function usePreview(uploadId: string | null, spec: TPreviewSpec) {
  return useQuery({
    queryKey: importKeys.preview(uploadId ?? "", spec),
    queryFn: () =>
      getJson<TPreview>(`/api/v1/uploads/${uploadId}/preview`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(spec),
      }),
    enabled: !!uploadId,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
