"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { rerunImportAction } from "@/lib/io/actions";
import { ActionButton } from "@/components/ui/action-button";
import { StatusBadge } from "@/components/ui/job-status";
import { formatBytes, formatDuration, formatInt } from "@/components/ui/format";
import { insertedLabel, isActive } from "./keys";
import { useImportJob, type TImportJobJson } from "./use-import-job";

/**
 * Live progress of one import: bar, counters, rate, ETA, then the outcome and the rejected lines.
 * `mayRerun`: the viewer sent the upload it read, so a failed or interrupted run can run again.
 */
export function JobProgress({ initial, mayRerun }: { initial: TImportJobJson; mayRerun: boolean }) {
  const { data: job, error } = useImportJob(initial.id, initial);
  const started = job.startedAt ? new Date(job.startedAt).getTime() : null;
  // Server times only (the last progress write), so the figures do not depend on the browser's clock.
  const endStamp = job.finishedAt ?? job.heartbeatAt ?? job.startedAt;
  const end = endStamp ? new Date(endStamp).getTime() : 0;
  const seconds = started ? Math.max(0.001, (end - started) / 1000) : 0;
  const fraction = job.status === "completed" ? 1 : job.fileBytes > 0 ? Math.min(1, job.bytesRead / job.fileBytes) : 0;
  const rate = seconds > 0 ? job.rowsRead / seconds : 0;
  const eta = isActive(job.status) && fraction > 0.01 && fraction < 1 ? (seconds / fraction) * (1 - fraction) : null;
  const counts = Object.entries(job.counts as Record<string, number>).filter(([, n]) => n > 0);
  const { rolledBack } = job;
  return (
    // Only the status line is a live region: the counts, rate and ETA change on every poll, and
    // a screen reader would read them all again each time.
    <section className="mt-4 space-y-4">
      <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <div className="flex items-center gap-3" aria-live="polite">
          <StatusBadge status={job.status} />
          <span className="text-slate-600">{job.phase || (isActive(job.status) ? "starting" : "")}</span>
          {job.isSilent && <span className="text-amber-800">No sign of life from the server running it for over a minute.</span>}
          {error && <span className="text-rose-700">Could not refresh: {error.message}</span>}
        </div>
        <div className="mt-3 h-3 overflow-hidden rounded bg-slate-100" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
          <div className={`h-full transition-all ${job.status === "failed" || job.status === "interrupted" ? "bg-rose-400" : "bg-blue-600"}`} style={{ width: `${fraction * 100}%` }} />
        </div>
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-4 lg:grid-cols-8">
          {[
            ["Read", `${formatBytes(job.bytesRead)} of ${formatBytes(job.fileBytes)}`],
            ["Rows read", formatInt(job.rowsRead)],
            ["Inserted", insertedLabel(job, formatInt)],
            ["Already there", formatInt(job.skipped)],
            ["Rejected", formatInt(job.rejected)],
            ["Rate", `${formatInt(Math.round(rate))} rows/s`],
            ["Elapsed", formatDuration(seconds)],
            ["ETA", eta === null ? "—" : formatDuration(eta)],
          ].map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs text-slate-500 uppercase">{label}</dt>
              <dd className="tabular-nums" data-testid={`job-${label!.toLowerCase().replace(/ /g, "-")}`}>{value}</dd>
            </div>
          ))}
        </dl>
        {counts.length > 0 && (
          <p className="mt-3 text-slate-600" data-testid="job-counts">
            {rolledBack ? "Written, then rolled back" : "New"}: {counts.map(([k, v]) => `${formatInt(v)} ${v === 1 ? singular(k) : k}`).join(", ")}
          </p>
        )}
        {job.message && <p className={`mt-2 whitespace-pre-line ${job.status === "completed" ? "text-slate-800" : "text-rose-800"}`} data-testid="job-message">{job.message}</p>}
        {job.rerunAsId !== null && (
          <p className="mt-2" data-testid="job-rerun">
            Run again as <Link href={`/imports/${job.rerunAsId}`} className="text-blue-700 hover:underline">import #{job.rerunAsId}</Link>.
          </p>
        )}
        {mayRerun && job.rerunAsId === null && rolledBack && <RerunButtons id={job.id} strict={job.strict} />}
        {job.format === "json" && job.rejected > 0 && <p className="mt-1 text-xs text-slate-500">In a JSON array, “line” is the record number (1 = the first element).</p>}
        {job.status === "completed" && job.datasetId && (
          <p className="mt-2">
            <Link href={`/datasets/${job.datasetId}`} className="text-blue-700 hover:underline">Open the dataset</Link>
            <span className="mx-2 text-slate-300">·</span>
            <Link href={`/judgments?dataset=${job.datasetId}`} className="text-blue-700 hover:underline">Judgments</Link>
          </p>
        )}
      </div>

      {job.rejected > 0 && (
        <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <div className="flex items-baseline gap-4">
            <h2 className="font-semibold">Rejected lines</h2>
            <a href={`/api/v1/imports/${job.id}/rejects`} className="text-blue-700 hover:underline" download>
              Download all {formatInt(job.rejected)} as CSV
            </a>
          </div>
          {job.rejects.length === 0 ? (
            <p className="mt-2 text-slate-600">The list is saved when the job ends.</p>
          ) : (
            <table className="mt-2 w-full text-left">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="py-1 pr-4 font-medium" title="record number for JSON arrays, row number for Parquet">Line</th>
                  <th className="py-1 pr-4 font-medium">Field</th>
                  <th className="py-1 font-medium">Reason</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {job.rejects.map((r, i) => (
                  <tr key={i}>
                    <td className="py-1 pr-4 tabular-nums">{r.line}</td>
                    <td className="py-1 pr-4">{r.field}</td>
                    <td className="py-1">{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {job.rejects.length < job.rejected && job.rejects.length > 0 && <p className="mt-2 text-xs text-slate-500">The first {job.rejects.length} are shown; the download has them all.</p>}
        </div>
      )}
    </section>
  );
}

/** Nothing of a failed or interrupted import was written: run it again from the same upload. */
function RerunButtons({ id, strict }: { id: number; strict: boolean }) {
  const router = useRouter();
  const button = (label: string, className: string, options: { strict?: boolean }) => (
    <ActionButton
      label={label}
      pendingLabel="Starting…"
      className={`rounded-md px-3 py-1.5 font-medium ring-1 ${className}`}
      action={() => rerunImportAction({ id, ...options })}
      onDone={({ id: next }) => router.push(`/imports/${next}`)}
    />
  );
  return (
    <div className="mt-3 flex flex-wrap items-center gap-3">
      {button("Run again", "bg-blue-700 text-white ring-blue-700 hover:bg-blue-800", {})}
      {strict && button("Run again, importing the good lines", "text-blue-800 ring-blue-200 hover:bg-blue-50", { strict: false })}
      <span className="text-sm text-slate-600">from the same upload, with the same mapping and options</span>
    </div>
  );
}

/** "questions" → "question", as the counts' keys are plurals (lib/io/import-job.ts). */
function singular(noun: string): string {
  return noun.endsWith("s") ? noun.slice(0, -1) : noun;
}
