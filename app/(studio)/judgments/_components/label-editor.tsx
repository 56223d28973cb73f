"use client";

import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { judgmentKeys } from "./keys";
import { ActionError, type useSetLabel } from "./use-set-label";

type TValue = "correct" | "incorrect" | "unsure";
const VALUES: { value: TValue; label: string }[] = [
  { value: "correct", label: "Correct" },
  { value: "incorrect", label: "Incorrect" },
  { value: "unsure", label: "Unsure" },
];

type TProps = {
  responseId: number;
  current: { value: string; note: string; version: number } | null;
  canLabel: boolean;
  /** the panel's save (it outlives this editor, which is made afresh when the label's version changes) */
  mutation: ReturnType<typeof useSetLabel>;
};

export function LabelEditor({ responseId, current, canLabel, mutation: panelMutation }: TProps) {
  // The save of another item is not this one's.
  const mine = panelMutation.variables === undefined || panelMutation.variables.responseId === responseId;
  const mutation = mine ? panelMutation : null;
  // A refused save keeps what was chosen and written, beside the reason, rather than the
  // label as stored replacing it unsaid.
  const refused = mutation?.isError ? mutation.variables : undefined;
  const [value, setValue] = useState<TValue | null>(((refused?.value ?? current?.value) as TValue | undefined) ?? null);
  const [note, setNote] = useState(refused?.note ?? current?.note ?? "");
  const queryClient = useQueryClient();
  const conflict = mutation?.error instanceof ActionError && mutation.error.code === "CONFLICT";
  const dirty = value !== null && (value !== current?.value || note !== (current?.note ?? ""));
  const group = useRef<HTMLDivElement>(null);
  // This editor is made afresh when a save changes the label's version, which drops the focus
  // (it was on the save button): it goes to the label chosen, next to the "Saved." said.
  const justSaved = mutation?.isSuccess === true;
  useEffect(() => {
    if (justSaved && document.activeElement === document.body) group.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
  }, [justSaved]);
  // A radio group as the keyboard expects one: one tab stop, arrows move and choose.
  const onArrow = (event: React.KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (index + step + VALUES.length) % VALUES.length;
    setValue(VALUES[next]!.value);
    group.current?.querySelectorAll<HTMLElement>('[role="radio"]')[next]?.focus();
  };

  if (!canLabel) {
    return (
      <p className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-slate-600" data-testid="label-readonly">
        Only experts, researchers and admins can label. You can read labels and history.
      </p>
    );
  }

  return (
    <form
      className="mt-4 rounded-md border border-slate-200 p-3"
      aria-label="Your label"
      onSubmit={(event) => {
        event.preventDefault();
        if (value) panelMutation.mutate({ responseId, value, note, expectedVersion: current?.version ?? null });
      }}
    >
      <p className="font-medium">
        Your label{current ? <span className="ml-2 text-xs font-normal text-slate-500">version {current.version}</span> : null}
      </p>
      <div ref={group} role="radiogroup" aria-label="Label" className="mt-2 flex gap-2">
        {VALUES.map((v, i) => (
          <button
            key={v.value}
            type="button"
            role="radio"
            aria-checked={value === v.value}
            tabIndex={value === v.value || (value === null && i === 0) ? 0 : -1}
            onKeyDown={(event) => onArrow(event, i)}
            onClick={() => setValue(v.value)}
            className={`rounded-md border px-3 py-1.5 ${value === v.value ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 hover:bg-slate-50"}`}
          >
            {v.label}
          </button>
        ))}
      </div>
      <label className="mt-3 block">
        <span className="text-xs font-medium text-slate-500">Note (optional)</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1" />
      </label>
      <div className="mt-2 flex items-center gap-3">
        <button type="submit" disabled={!dirty || mutation?.isPending} className="rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-600 disabled:opacity-50">
          {mutation?.isPending ? "Saving…" : "Save label"}
        </button>
        {mutation?.isSuccess && !dirty && (
          <span role="status" className="text-emerald-700">
            Saved.
          </span>
        )}
      </div>
      {mutation?.error && (
        <div role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-red-800">
          <p>{mutation.error.message}</p>
          {conflict && current && (
            <p className="mt-1 text-sm">
              Stored now: {current.value}
              {current.note ? ` (“${current.note}”)` : ""}, version {current.version}. Yours is kept above: save it to replace that one.
            </p>
          )}
          {conflict && (
            <button
              type="button"
              className="mt-1 underline"
              onClick={() => {
                mutation.reset();
                setValue((current?.value as TValue | undefined) ?? null);
                setNote(current?.note ?? "");
                void queryClient.invalidateQueries({ queryKey: judgmentKeys.detail(responseId) });
              }}
            >
              Load the current label
            </button>
          )}
        </div>
      )}
    </form>
  );
}
