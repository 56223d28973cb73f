"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { setExpertLabelAction } from "@/lib/labels/actions";
import type { TSetLabel } from "@/lib/labels/set-label";
import { judgmentKeys } from "./keys";
import type { TResponseDetailJson } from "./use-response-detail";

export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Saves the expert's label: shown at once (optimistic), rolled back if the server refuses. */
export function useSetLabel(responseId: number) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const key = judgmentKeys.detail(responseId);
  return useMutation({
    mutationFn: async (input: TSetLabel) => {
      const result = await setExpertLabelAction(input);
      if (!result.ok) throw new ActionError(result.error.code, result.error.message, result.error.details);
      return result.data;
    },
    onMutate: async (input) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<TResponseDetailJson>(key);
      if (previous) {
        queryClient.setQueryData<TResponseDetailJson>(key, {
          ...previous,
          myLabel: { value: input.value, note: input.note ?? "", version: (input.expectedVersion ?? 0) + 1 },
        });
      }
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: key });
      // The list's expert column is server-rendered: refresh it.
      router.refresh();
    },
  });
}
