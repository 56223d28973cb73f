export const formatInt = (n: number) => n.toLocaleString("en-US");

export function formatScore(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? "—" : value.toFixed(digits);
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(digits)}%`;
}

/** A 95% interval as "[0.712, 0.801]"; "—" when undefined. */
export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 3): string {
  return low === null || low === undefined || high === null || high === undefined ? "—" : `[${low.toFixed(digits)}, ${high.toFixed(digits)}]`;
}
