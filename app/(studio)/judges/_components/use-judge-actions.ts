"use client";
// Hooks over the judges area's server actions: a failed action becomes a thrown error with the
// server's message, so components use TanStack Query's error state.
import { useMutation, useQuery } from "@tanstack/react-query";
import { previewTemplateAction, saveTemplateVersionAction, setJudgeTemplateAction, testJudgeAction } from "@/lib/judges/actions";
import { judgeKeys } from "./keys";

type TResult<T> = { ok: true; data: T } | { ok: false; error: { message: string } };
async function unwrap<T>(promise: Promise<TResult<T>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

export function useTestJudge() {
  return useMutation({ mutationFn: (input: Parameters<typeof testJudgeAction>[0]) => unwrap(testJudgeAction(input)) });
}

export function useTemplatePreview(input: Parameters<typeof judgeKeys.preview>[0], enabled: boolean) {
  return useQuery({
    queryKey: judgeKeys.preview(input),
    queryFn: () => unwrap(previewTemplateAction(input)),
    enabled,
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
}

export function useSaveTemplateVersion() {
  return useMutation({ mutationFn: (input: Parameters<typeof saveTemplateVersionAction>[0]) => unwrap(saveTemplateVersionAction(input)) });
}

export function useSetJudgeTemplate() {
  return useMutation({ mutationFn: ({ judgeId, version }: { judgeId: number; version: string }) => unwrap(setJudgeTemplateAction(judgeId, version)) });
}
