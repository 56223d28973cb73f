// Query keys of the judges area (TanStack Query).
export const judgeKeys = {
  all: ["judges"] as const,
  preview: (input: { body: string; systemMessage: string | null; finalStepOnly: boolean; datasetId?: number; seed: number }) =>
    [...judgeKeys.all, "preview", input] as const,
};
