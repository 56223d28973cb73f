"use client";

import { useQueryClient } from "@tanstack/react-query";
import { ActionButton } from "@/components/ui/action-button";
import { StatusBadge } from "@/components/ui/job-status";
import { formatBytes, formatInt, formatWhen } from "@/components/ui/format";
import type { TExportView } from "@/lib/io/queries";
import { useRouter } from "next/navigation";
import { deleteExportFilesAction, repeatExportAction } from "@/lib/io/actions";
import { exportKeys, useExport } from "./use-exports";
import { ListTable } from "@/components/ui/list-table";

// The database keeps the manifest as jsonb, which orders keys its own way: show splits in theirs.
const splitOrder = (name: string) => {
  const i = ["train", "validation", "test"].indexOf(name);
  return i < 0 ? 3 : i;
};

type TManifest = {
  files: { name: string; rows: number; bytes: number; sha256: string }[];
  counts: Record<string, Record<string, number>>;
  candidates?: Record<string, number>;
  options?: { expertOverride?: boolean; dropUnparseable?: boolean };
};

// A distillation set's candidates (the teacher's judgments on the dataset) and what became of
// them, as the manifest counts them (lib/io/export/distillation.ts distillationDropsQuery).
function candidateLines(c: Record<string, number>, options: { expertOverride?: boolean; dropUnparseable?: boolean }): string[] {
  const override = options.expertOverride !== false;
  const n = (key: string) => c[key] ?? 0;
  const lines: [number, string][] = [
    [n("no_target"), override ? "had no YES or NO from the teacher and no expert label to take instead: left out" : "had no YES or NO from the teacher: left out"],
    [n("teacher_failed"), override ? "were ones where the teacher's call failed (in the set only with an expert label)" : "were ones where the teacher's call failed"],
    [n("dropped_unparseable"), "had an unparseable reply from the teacher: left out, as asked, expert label or not"],
    [n("judges_disagree"), "were ones the two judges chosen to agree did not: left out"],
    [n("judges_unanswered"), "had no YES or NO from one of the two judges chosen to agree: left out"],
    [n("balanced_out"), "were left out to balance the classes"],
    [n("expert_overrides"), "in the set took the experts' label instead of the teacher's verdict"],
  ];
  return lines.filter(([count]) => count > 0).map(([count, text]) => `${formatInt(count)} ${text}`);
}

function Candidates({ c, rows, options }: { c: Record<string, number>; rows: number; options: { expertOverride?: boolean; dropUnparseable?: boolean } }) {
  return (
    <div className={`mt-3 rounded-md px-3 py-2 text-sm ${rows === 0 ? "bg-amber-50 text-amber-900" : "bg-slate-50 text-slate-700"}`} data-testid="export-candidates">
      {c.candidates === 0 ? (
        <p>The teacher has no judgments on this dataset: run it on the dataset first, or choose another teacher.</p>
      ) : (
        <>
          <p>
            {formatInt(c.candidates ?? 0)} items judged by the teacher, {formatInt(rows)} in the set{rows === 0 ? ". Of them:" : "; of them:"}
          </p>
          <ul className="mt-1 list-disc pl-5">
            {candidateLines(c, options).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function ExportDetail({ initial, canDelete }: { initial: TExportView; canDelete: boolean }) {
  const { data: e } = useExport(initial);
  const manifest = e.manifest as TManifest | null;
  const deleted = e.filesDeletedAt !== null;
  return (
    <div className="mt-4 space-y-4">
      <div className="flex items-center gap-3">
        <StatusBadge status={e.status} />
        <span data-testid="export-message">{e.message || (e.status === "running" || e.status === "queued" ? "Writing…" : "")}</span>
        {/* Not for a dataset deleted since: there is nothing to export again. */}
        {e.status !== "queued" && e.status !== "running" && !e.datasetDeleted && <RepeatButton id={e.id} />}
      </div>
      {manifest && deleted && (
        <p data-testid="export-files-deleted" className="rounded-md bg-slate-100 px-3 py-2 text-slate-700">
          The files were deleted on {formatWhen(e.filesDeletedAt)} UTC by {e.filesDeletedBy?.name ?? "a removed user"}. The manifest below
          still lists each file&apos;s size and sha256, so a copy kept elsewhere can be checked against it.
        </p>
      )}
      {manifest && (
        <>
          {!deleted && (
            <div className="flex flex-wrap items-center gap-3">
              <a href={`/api/v1/exports/${e.id}/archive`} download className="inline-block rounded bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-800">
                Download all (.tar)
              </a>
              <span className="text-sm text-slate-600">every file below and the manifest, in a folder export-{e.id}/</span>
              {canDelete && <DeleteFilesButton id={e.id} />}
            </div>
          )}
          <ListTable data-testid="export-files"
            head={
              <>
                <th className="px-4 py-2 font-medium">File</th>
                <th className="px-4 py-2 text-right font-medium">Rows</th>
                <th className="px-4 py-2 text-right font-medium">Size</th>
                <th className="px-4 py-2 font-medium">sha256</th>
              </>
            }
          >
            {[...manifest.files, { name: "manifest.json", rows: 0, bytes: 0, sha256: "" }].map((f) => (
              <tr key={f.name}>
                <td className="px-4 py-2">
                  {deleted ? f.name : <a href={`/api/v1/exports/${e.id}/files/${f.name}`} download className="text-blue-700 hover:underline">{f.name}</a>}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{f.name === "manifest.json" ? "" : formatInt(f.rows)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{f.bytes ? formatBytes(f.bytes) : ""}</td>
                <td className="px-4 py-2 font-mono text-xs break-all text-slate-600">{f.sha256}</td>
              </tr>
            ))}
          </ListTable>
          <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="font-semibold">Rows per split and class</h2>
            <ul className="mt-2 space-y-1" data-testid="export-counts">
              {Object.entries(manifest.counts).sort(([a], [b]) => splitOrder(a) - splitOrder(b)).map(([split, classes]) => (
                <li key={split}><span className="font-medium">{split}</span>: {Object.entries(classes).map(([c, n]) => `${formatInt(n)} ${n === 1 && c === "questions" ? "question" : c}`).join(", ")}</li>
              ))}
            </ul>
            {manifest.candidates && <Candidates c={manifest.candidates} rows={e.rows} options={manifest.options ?? {}} />}
            <details className="mt-3">
              <summary className="cursor-pointer text-blue-700">Manifest</summary>
              <pre className="mt-2 max-h-[28rem] overflow-auto rounded bg-slate-50 p-3 text-xs">{JSON.stringify(manifest, null, 2)}</pre>
            </details>
          </div>
        </>
      )}
    </div>
  );
}

function DeleteFilesButton({ id }: { id: number }) {
  const queryClient = useQueryClient();
  return (
    <ActionButton
      label="Delete files"
      pendingLabel="Deleting…"
      wrapperClassName="ml-auto"
      className="rounded-md px-3 py-1.5 text-red-700 ring-1 ring-red-200 hover:bg-red-50"
      confirm={`Delete the files of export ${id} from the server? Its record and manifest stay; the files cannot be downloaded again.`}
      action={() => deleteExportFilesAction({ id })}
      onSettled={() => queryClient.invalidateQueries({ queryKey: exportKeys.all })}
    />
  );
}

/** A new export with exactly these options (those the form does not offer too). */
function RepeatButton({ id }: { id: number }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return (
    <ActionButton
      label="Export again"
      pendingLabel="Starting…"
      wrapperClassName="ml-auto"
      title="Same options and seed: on unchanged data, byte-identical files"
      className="rounded-md px-3 py-1.5 font-medium text-blue-800 ring-1 ring-blue-200 hover:bg-blue-50"
      action={() => repeatExportAction({ id })}
      onDone={async ({ id: next }) => {
        await queryClient.invalidateQueries({ queryKey: exportKeys.all });
        router.push(`/exports/${next}`);
      }}
    />
  );
}
