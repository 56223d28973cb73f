"use client";
// A judge's prompt template: the version it uses, a preview filled with a real item, and (for
// admins) editing, which saves a new version, or switching to another version. Judgments keep
// the version they were made with.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { buttonClass, Field, inputClass, secondaryButtonClass } from "./field";
import { useSaveTemplateVersion, useSetJudgeTemplate, useTemplatePreview } from "./use-judge-actions";

export type TTemplateView = { version: string; name: string; body: string; systemMessage: string | null; finalStepOnly: boolean; note: string; createdBy: string | null };

const pre = "max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap ring-1 ring-slate-200";

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

export function TemplatePanel({
  judgeId,
  judgeName,
  current,
  versions,
  datasets,
  canEdit,
}: {
  judgeId: number;
  judgeName: string;
  current: TTemplateView;
  versions: string[];
  datasets: { id: number; name: string }[];
  canEdit: boolean;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const lineage = current.name.startsWith("paper") ? judgeName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "custom" : current.name;
  const [draft, setDraft] = useState({ name: lineage, body: current.body, systemMessage: current.systemMessage ?? "", finalStepOnly: current.finalStepOnly, note: "" });
  const [showPreview, setShowPreview] = useState(false);
  const [datasetId, setDatasetId] = useState<number | undefined>(datasets[0]?.id);
  // The preview's item: the n-th draw of the dataset's items, the same while the text changes.
  const [nonce, setNonce] = useState(0);
  const [choice, setChoice] = useState(current.version);
  const save = useSaveTemplateVersion();
  const use = useSetJudgeTemplate();

  const shown = editing ? draft : { body: current.body, systemMessage: current.systemMessage ?? "", finalStepOnly: current.finalStepOnly };
  const debounced = useDebounced(shown, 400);
  const preview = useTemplatePreview(
    { body: debounced.body, systemMessage: debounced.systemMessage || null, finalStepOnly: debounced.finalStepOnly, datasetId, seed: nonce },
    showPreview,
  );

  return (
    <div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>
          Version <span className="font-mono font-medium" data-testid="template-version">{current.version}</span>
        </span>
        {current.note && <span className="text-slate-500">— {current.note}</span>}
        <span className="text-slate-500">· {current.finalStepOnly ? "sends the final step (last non-empty line)" : "sends the whole response"}</span>
        <span className="text-slate-500">· {current.systemMessage ? `system message: “${current.systemMessage}”` : "no system message"}</span>
      </div>

      {editing ? (
        <form
          aria-label="Edit template"
          className="mt-3 grid grid-cols-2 gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(
              { judgeId, name: draft.name, body: draft.body, systemMessage: draft.systemMessage || null, finalStepOnly: draft.finalStepOnly, basedOn: current.version, note: draft.note },
              {
                onSuccess: () => {
                  setEditing(false);
                  router.refresh();
                },
              },
            );
          }}
        >
          <Field label="Template" hint="Placeholders: {question}, {response}, {reference}" wide>
            <textarea value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} rows={14} className={`${inputClass} font-mono text-xs`} aria-label="Template text" />
          </Field>
          <Field label="System message (empty: none)">
            <input value={draft.systemMessage} onChange={(e) => setDraft({ ...draft, systemMessage: e.target.value })} className={inputClass} placeholder="You are a helpful assistant." />
          </Field>
          <Field label="Version name" hint={`Saved as ${draft.name || "name"}-v<next number>`}>
            <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required className={`${inputClass} font-mono`} />
          </Field>
          <label className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={draft.finalStepOnly} onChange={(e) => setDraft({ ...draft, finalStepOnly: e.target.checked })} /> Send only the final step (the paper)
          </label>
          <Field label="Note (what changed)">
            <input value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.target.value })} maxLength={500} className={inputClass} />
          </Field>
          <div className="col-span-2 flex items-center gap-3">
            <button type="submit" disabled={save.isPending} className={buttonClass}>
              {save.isPending ? "Saving…" : "Save as a new version"}
            </button>
            <button type="button" onClick={() => setEditing(false)} className={secondaryButtonClass}>
              Cancel
            </button>
            {save.isError && (
              <p role="alert" className="text-red-700">
                {save.error.message}
              </p>
            )}
          </div>
        </form>
      ) : (
        <>
          <pre className={`${pre} mt-3`} data-testid="template-body">
            {current.body}
          </pre>
          {canEdit && (
            <div className="mt-3 flex flex-wrap items-end gap-3">
              <button type="button" onClick={() => setEditing(true)} className={secondaryButtonClass}>
                Edit as a new version
              </button>
              <Field label="Or use another version">
                <select value={choice} onChange={(e) => setChoice(e.target.value)} className={inputClass}>
                  {versions.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              </Field>
              <button
                type="button"
                disabled={choice === current.version || use.isPending}
                onClick={() => use.mutate({ judgeId, version: choice }, { onSuccess: () => router.refresh() })}
                className={secondaryButtonClass}
              >
                Use this version
              </button>
              {use.isError && <p role="alert" className="text-red-700">{use.error.message}</p>}
            </div>
          )}
        </>
      )}

      <div className="mt-4 border-t border-slate-100 pt-3">
        <div className="flex flex-wrap items-end gap-3">
          <button type="button" onClick={() => setShowPreview(!showPreview)} className={secondaryButtonClass} aria-expanded={showPreview}>
            {showPreview ? "Hide preview" : "Preview with a real item"}
          </button>
          {showPreview && (
            <>
              <Field label="Item from">
                <select
                  value={datasetId ?? ""}
                  onChange={(e) => setDatasetId(Number(e.target.value) || undefined)}
                  className={inputClass}
                >
                  {datasets.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </select>
              </Field>
              <button
                type="button"
                onClick={() => setNonce(nonce + 1)}
                className={secondaryButtonClass}
              >
                Another item
              </button>
            </>
          )}
        </div>
        {showPreview && (
          <div className="mt-3" data-testid="template-preview">
            {preview.isError && <p role="alert" className="text-red-700">{preview.error.message}</p>}
            {preview.data && (
              <>
                <p className="text-xs text-slate-500">
                  Response {preview.data.item.responseId} of {preview.data.item.datasetName} · prompt sha256 <span className="font-mono">{preview.data.hash.slice(0, 16)}…</span>
                  {preview.isFetching && " · updating…"}
                </p>
                {preview.data.messages.map((m, i) => (
                  <div key={i} className="mt-2">
                    <p className="text-xs font-medium text-slate-600">{m.role} message</p>
                    <pre className={pre}>{m.content}</pre>
                  </div>
                ))}
              </>
            )}
            {preview.isLoading && <p className="text-slate-500">Filling the template…</p>}
          </div>
        )}
      </div>
    </div>
  );
}
