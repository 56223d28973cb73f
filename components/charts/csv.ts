// The data behind a chart as CSV (RFC 4180: comma separated, CRLF line ends, fields with a comma,
// quote or line break quoted, quotes doubled). Columns in the order given, else of the first row.
export type TCsvValue = string | number | boolean | null | undefined;

// A text cell that a spreadsheet would read as a formula (=, +, -, @, or a tab or CR first) is
// kept as text with a leading apostrophe: the cells hold names others typed (subjects, policy
// models, judges, annotators), and `=HYPERLINK(...)` in one would run in whoever opens the file.
// Numbers, and text that is a plain number, are left as they are.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Text as a spreadsheet shows it rather than runs it (see above). */
export const asSpreadsheetText = (text: string) => (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text);

function field(value: TCsvValue): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" && !Number.isFinite(value) ? "" : typeof value === "string" ? asSpreadsheetText(value) : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly Record<string, TCsvValue>[], columns?: readonly string[]): string {
  const header = columns ?? Object.keys(rows[0] ?? {});
  const lines = [header.map(field).join(","), ...rows.map((row) => header.map((c) => field(row[c])).join(","))];
  return lines.join("\r\n") + "\r\n";
}
