// The data behind a chart as CSV (RFC 4180: comma separated, CRLF line ends, fields with a comma,
// quote or line break quoted, quotes doubled). Columns in the order given, else of the first row.
export type TCsvValue = string | number | boolean | null | undefined;

function field(value: TCsvValue): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" && !Number.isFinite(value) ? "" : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly Record<string, TCsvValue>[], columns?: readonly string[]): string {
  const header = columns ?? Object.keys(rows[0] ?? {});
  const lines = [header.map(field).join(","), ...rows.map((row) => header.map((c) => field(row[c])).join(","))];
  return lines.join("\r\n") + "\r\n";
}
