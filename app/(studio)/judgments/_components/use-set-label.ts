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

/**
 * Saves the expert's label: shown at once (optimistic), rolled back if the server refuses. The
 * item is the one the save names (the panel may have moved to another meanwhile).
 */
export function useSetLabel() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: async (input: TSetLabel) => {
      const result = await setExpertLabelAction(input);
      if (!result.ok) throw new ActionError(result.error.code, result.error.message, result.error.details);
      return result.data;
    },
    onMutate: async (input) => {
      const key = judgmentKeys.detail(input.responseId);
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
    onError: (_error, input, context) => {
      if (context?.previous) queryClient.setQueryData(judgmentKeys.detail(input.responseId), context.previous);
    },
    onSettled: async (_data, _error, input) => {
      await queryClient.invalidateQueries({ queryKey: judgmentKeys.detail(input.responseId) });
      // The list's expert column is server-rendered: refresh it.
      router.refresh();
    },
  });
}
