export const formatInt = (n: number) => n.toLocaleString("en-US");

export function formatScore(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? "—" : value.toFixed(digits);
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(digits)}%`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = n / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[i]}`;
}

/** A duration in seconds as "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Date and time to the minute, in UTC (the same on server and client renders). */
export function formatWhen(value: Date | string | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toISOString().slice(0, 16).replace("T", " ");
}

/** A 95% interval as "[0.712, 0.801]"; "—" when undefined. */
export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 3): string {
  return low === null || low === undefined || high === null || high === undefined ? "—" : `[${low.toFixed(digits)}, ${high.toFixed(digits)}]`;
}
