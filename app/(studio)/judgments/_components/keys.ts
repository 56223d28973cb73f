// Query keys of the judgments area (TanStack Query).
export const judgmentKeys = {
  all: ["judgments"] as const,
  detail: (responseId: number) => [...judgmentKeys.all, "detail", responseId] as const,
};
