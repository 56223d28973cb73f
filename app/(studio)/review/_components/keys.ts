// Query and mutation keys of the review area (TanStack Query).
export const reviewKeys = {
  all: ["review"] as const,
  claim: (queueId: number) => [...reviewKeys.all, "claim", queueId] as const,
  /** label saves, skips and undos of one queue run one after another, in the order pressed */
  saves: (queueId: number) => `review-saves-${queueId}`,
};
