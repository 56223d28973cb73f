// The command line's import progress bar, one line rewritten in place.
import type { TImportProgress } from "../lib/io/import-job";

export function importProgressLine(p: TImportProgress, started: number, now = Date.now()): string {
  const fraction = p.fileBytes > 0 ? Math.min(1, p.bytesRead / p.fileBytes) : 0;
  const width = 24;
  const filled = Math.round(fraction * width);
  const seconds = (now - started) / 1000;
  const rate = seconds > 0 ? p.rowsRead / seconds : 0;
  const eta = fraction > 0.01 && fraction < 1 ? ` ETA ${Math.ceil((seconds / fraction) * (1 - fraction))} s` : "";
  // What is new, by table, in the summary's words: a judgments import adds judgments, not responses.
  const fresh = Object.entries(p.counts ?? {})
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${n} ${table}`)
    .join(", ");
  return (
    `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
    `${p.rowsRead} rows read, new: ${fresh || "none"}, ${p.skipped} already there, ${p.rejected} rejected, ${Math.round(rate)} rows/s${eta}   `
  );
}
