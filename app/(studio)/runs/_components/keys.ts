// Query keys of the runs area (TanStack Query).
export const runKeys = {
  all: ["runs"] as const,
  list: (filters: { judge?: number; dataset?: number }) => [...runKeys.all, "list", filters] as const,
  progress: (runId: number) => [...runKeys.all, "progress", runId] as const,
};
