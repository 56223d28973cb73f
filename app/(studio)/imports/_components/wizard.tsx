"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { formatBytes, formatInt } from "@/components/ui/format";
import { startImportAction } from "@/lib/io/actions";
import { FIELD_HELP, FIELDS, type TField } from "@/lib/io/mapping";
import { useUpload } from "./use-upload";
import { usePreview } from "./use-preview";

const KINDS = [
  { value: "items", label: "Questions, references and responses (with optional labels and verdicts)" },
  { value: "judgments", label: "Judgments of an external judge, for responses already in a dataset" },
  { value: "labels", label: "Expert labels, for responses already in a dataset" },
];
const FORMATS = ["", "jsonl", "json", "csv", "tsv", "parquet"];

/** Upload → preview and mapping → start: the import runs on the server, its page shows progress. */
export function ImportWizard({ datasets, initialDataset }: { datasets: string[]; initialDataset?: string }) {
  const router = useRouter();
  const { state: upload, upload: send, cancel, reset } = useUpload();
  const [kind, setKind] = useState("items");
  const [format, setFormat] = useState("");
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [datasetInput, setDataset] = useState<string | null>(initialDataset ?? null);
  const [strict, setStrict] = useState(false);
  const [annotator, setAnnotator] = useState("");
  const [judge, setJudge] = useState("");
  const [dragging, setDragging] = useState(false);
  // One function for the whole life of the wizard: React calls it when the element mounts, not on every render.
  const focusOnMount = useCallback((node: HTMLElement | null) => node?.focus(), []);
  const choose = (file: File) => {
    setMapping(null);
    void send(file);
  };
  // A file dropped beside the drop zone would make the browser leave the wizard to open it.
  useEffect(() => {
    const keep = (e: DragEvent) => e.preventDefault();
    window.addEventListener("dragover", keep);
    window.addEventListener("drop", keep);
    return () => {
      window.removeEventListener("dragover", keep);
      window.removeEventListener("drop", keep);
    };
  }, []);
  const uploadId = upload.status === "done" ? upload.id : null;
  const spec = { kind, format: format || undefined, mapping: mapping ?? {}, annotator: annotator || undefined, judge: judge || undefined };
  const preview = usePreview(uploadId, spec);

  // Until the first edit, the editor shows the mapping the server guessed from the columns.
  const shown: Record<string, string> = mapping ?? (Object.fromEntries(Object.entries(preview.data?.guessed ?? {}).filter(([, v]) => v)) as Record<string, string>);
  const dataset = datasetInput ?? (upload.status === "done" ? upload.fileName.replace(/\.gz$/i, "").replace(/\.[^.]+$/, "") : "");

  // What the preview already shows would make the import fail or do nothing: said, not started.
  // (Not from the figures of the file before, which stand in while a new file's preview loads.)
  const blocked = preview.error
    ? "The preview failed (see above): the import would too. Fix what it says, choose another file or the format it really has, or try the preview again."
    : preview.data && !preview.isPlaceholderData && preview.data.scanned === 0
      ? "The file holds no rows: there is nothing to import."
      : null;

  const start = useMutation({
    mutationFn: async () => {
      const result = await startImportAction({ uploadId: uploadId!, dataset, kind: kind as "items", format: (format || undefined) as "jsonl" | undefined, mapping: shown, strict, annotator: annotator || undefined, judge: judge || undefined });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSuccess: ({ id }) => router.push(`/imports/${id}`),
  });

  const setField = (field: TField, column: string) => {
    const next = { ...shown };
    if (column) next[field] = column;
    else delete next[field];
    setMapping(next);
  };
  const columns = preview.data?.columns ?? [];

  return (
    <div className="mt-4 space-y-6">
      <section className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <h2 className="font-semibold">1. File</h2>
        <label className="mt-3 block">
          <span className="text-sm text-slate-700">What the file holds</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)} className="mt-1 block w-full max-w-xl rounded border border-slate-300 px-2 py-1.5">
            {KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
          </select>
        </label>
        {upload.status === "idle" || upload.status === "error" ? (
          <div className="mt-3">
            <span className="text-sm text-slate-700" id="file-hint">File (JSONL, JSON array, CSV, TSV or Parquet; .gz accepted)</span>
            {/* A drop zone around the file input: a file dropped anywhere on it is uploaded as one
                chosen with the button (which keeps the keyboard and screen-reader path). */}
            <label
              data-testid="file-drop"
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                const file = e.dataTransfer.files?.[0];
                if (file) choose(file);
              }}
              className={`mt-1 flex max-w-xl cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-6 text-center ${dragging ? "border-blue-500 bg-blue-50" : "border-slate-300 bg-slate-50 hover:border-slate-400"}`}
            >
              <span className="text-sm text-slate-600">{dragging ? "Drop the file to upload it" : "Drop a file here, or"}</span>
              <input
                type="file"
                aria-label="File to import"
                aria-describedby="file-hint"
                className="block text-sm text-slate-600 file:mr-3 file:cursor-pointer file:rounded file:border-0 file:bg-blue-700 file:px-3 file:py-1.5 file:font-medium file:text-white hover:file:bg-blue-800"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) choose(file);
                }}
              />
            </label>
            {upload.status === "error" && <p className="mt-2 text-rose-700" role="alert">Upload failed: {upload.message}</p>}
          </div>
        ) : (
          // Takes the focus from the file input it replaces, which would leave it nowhere.
          <div className="mt-3 outline-none" tabIndex={-1} ref={focusOnMount}>
            <p>
              <span className="font-medium">{upload.fileName}</span> <span className="text-slate-500">{formatBytes(upload.size)}</span>
              {upload.status === "done" && (
                <button type="button" onClick={() => { reset(); setMapping(null); setDataset(null); }} className="ml-3 text-blue-700 hover:underline">Choose another file</button>
              )}
              {upload.status === "uploading" && <button type="button" onClick={cancel} className="ml-3 text-blue-700 hover:underline">Cancel</button>}
            </p>
            <div className="mt-2 h-2 max-w-xl overflow-hidden rounded bg-slate-100" role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100}
              aria-valuenow={upload.status === "done" ? 100 : Math.round((upload.sent / Math.max(1, upload.size)) * 100)}>
              <div className="h-full bg-blue-600 transition-all" style={{ width: `${upload.status === "done" ? 100 : (upload.sent / Math.max(1, upload.size)) * 100}%` }} />
            </div>
            <p className="mt-1 text-xs text-slate-500" data-testid="upload-status" aria-live="polite">
              {upload.status === "done" ? "Uploaded." : `${formatBytes(upload.sent)} of ${formatBytes(upload.size)} sent`}
            </p>
          </div>
        )}
      </section>

      {uploadId && (
        <section className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 className="font-semibold">2. Columns</h2>
          {preview.error && (
            <p className="mt-2 text-rose-700" role="alert">
              {preview.error.message}{" "}
              <button type="button" onClick={() => void preview.refetch()} className="text-blue-700 underline">
                Try the preview again
              </button>
            </p>
          )}
          {preview.data && (
            <p className="mt-1 text-slate-600">
              Read as <strong>{preview.data.format.toUpperCase()}</strong>{preview.data.gzip ? " (gzip)" : ""}; columns: {columns.join(", ") || "none"}.
              Use <code className="rounded bg-slate-100 px-1">answer_*</code> for one response per column (the * part becomes the policy model).
            </p>
          )}
          <label className="mt-2 inline-block">
            <span className="text-sm text-slate-700">Format </span>
            <select value={format} onChange={(e) => setFormat(e.target.value)} className="rounded border border-slate-300 px-2 py-1">
              {FORMATS.map((f) => <option key={f} value={f}>{f || "detect"}</option>)}
            </select>
          </label>
          <datalist id="file-columns">{columns.map((c) => <option key={c} value={c} />)}</datalist>
          <div className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 md:grid-cols-2 xl:grid-cols-3">
            {FIELDS.map((field) => (
              <label key={field} className="flex items-center gap-2" title={FIELD_HELP[field]}>
                <span className="w-28 shrink-0 text-sm text-slate-700">{field}</span>
                <input
                  list="file-columns"
                  value={shown[field] ?? ""}
                  onChange={(e) => setField(field, e.target.value.trim())}
                  placeholder="not mapped"
                  aria-label={`Column for ${field}`}
                  className="w-full rounded border border-slate-300 px-2 py-1 text-sm"
                />
              </label>
            ))}
          </div>
          <div className="mt-3 flex flex-wrap gap-4">
            <label className="flex items-center gap-2">
              <span className="text-sm text-slate-700">Annotator of the labels</span>
              <input value={annotator} onChange={(e) => setAnnotator(e.target.value)} placeholder="import" className="rounded border border-slate-300 px-2 py-1 text-sm" />
            </label>
            <label className="flex items-center gap-2">
              <span className="text-sm text-slate-700">Judge of the verdicts</span>
              <input value={judge} onChange={(e) => setJudge(e.target.value)} placeholder="from the judge column" className="rounded border border-slate-300 px-2 py-1 text-sm" />
            </label>
          </div>

          {preview.isFetching && <p className="mt-3 text-slate-500">Reading the first rows…</p>}
          {preview.data && (
            <>
              <p className="mt-4" data-testid="validation-summary">
                First {formatInt(preview.data.scanned)} rows: <strong>{formatInt(preview.data.valid)}</strong> valid items (questions or responses),{" "}
                <strong className={preview.data.rejected ? "text-rose-700" : ""}>{formatInt(preview.data.rejected)}</strong> rejected.
              </p>
              {preview.data.valid === 0 && preview.data.rejected > 0 && (
                <p className="mt-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="nothing-valid">
                  None of these rows would be imported: check the mapping below (which column holds the question, the reference…), or the kind of file.
                </p>
              )}
              {preview.data.rejects.length > 0 && (
                <ul className="mt-1 list-disc pl-6 text-sm text-rose-800">
                  {preview.data.rejects.slice(0, 8).map((r, i) => <li key={i}>line {r.line}: {r.field === "line" ? "" : `${r.field}: `}{r.reason}</li>)}
                </ul>
              )}
              <div className="mt-3 overflow-x-auto">
                <table className="w-full text-left text-sm" data-testid="preview-table">
                  <thead className="text-xs text-slate-500 uppercase">
                    <tr>{["Line", "Question", "Reference", "Response", "Model", "#", "Label", "Verdict"].map((h) => <th key={h} className="py-1 pr-3 font-medium">{h}</th>)}</tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100 align-top">
                    {preview.data.rows.map((r, i) => (
                      <tr key={i}>
                        <td className="py-1 pr-3 tabular-nums">{r.line}</td>
                        <td className="max-w-xs py-1 pr-3 break-words">{r.question}</td>
                        <td className="max-w-[10rem] py-1 pr-3 break-words">{r.reference}</td>
                        <td className="max-w-xs py-1 pr-3 break-words">{r.response ?? <span className="text-slate-400">none</span>}</td>
                        <td className="py-1 pr-3">{r.policyModel}</td>
                        <td className="py-1 pr-3 tabular-nums">{r.sampleIndex}</td>
                        <td className="py-1 pr-3">{r.label ?? ""}</td>
                        <td className="py-1 pr-3">{r.verdict ?? ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}

      {uploadId && (
        <section className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 className="font-semibold">3. Import</h2>
          <form
            className="mt-3 flex flex-wrap items-end gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              start.mutate();
            }}
          >
            <label className="block">
              <span className="text-sm text-slate-700">Dataset {kind === "items" ? "(new or existing)" : "(existing)"}</span>
              <input list="datasets" value={dataset} onChange={(e) => setDataset(e.target.value)} required className="mt-1 block w-72 rounded border border-slate-300 px-2 py-1.5" aria-label="Dataset" />
              <datalist id="datasets">{datasets.map((d) => <option key={d} value={d} />)}</datalist>
            </label>
            <label className="flex items-center gap-2 pb-2">
              <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} />
              <span>Strict: import nothing if any line is bad</span>
            </label>
            <button type="submit" disabled={start.isPending || start.isSuccess || !dataset || blocked !== null} aria-describedby={blocked ? "start-blocked" : undefined} className="rounded bg-blue-700 px-4 py-1.5 text-white hover:bg-blue-800 disabled:opacity-50">
              {start.isPending ? "Starting…" : "Start import"}
            </button>
            {(blocked || !dataset) && (
              <p id="start-blocked" className="w-full text-sm text-slate-600" data-testid="start-blocked">
                {blocked ?? "Name the dataset to import into."}
              </p>
            )}
            {start.error && <p className="w-full text-rose-700" role="alert">{start.error.message}</p>}
          </form>
        </section>
      )}
    </div>
  );
}
