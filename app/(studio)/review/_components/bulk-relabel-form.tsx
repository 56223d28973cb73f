"use client";

// Bulk relabel: choose a value, see how many labels and gold labels would change, confirm; the
// step can be undone from the list below. The count confirmed is checked again on the server.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { applyBulkRelabelAction, previewBulkRelabelAction, undoBulkRelabelAction } from "@/lib/labels/actions";
import { LabelBadge } from "@/components/ui/badges";
import { formatInt } from "@/components/ui/format";
import { formatWhen } from "@/components/ui/format";

type TValue = "correct" | "incorrect" | "unsure";
type TBatch = { id: number; value: string | null; note: string; changed: number; createdAt: string; by: string; undoneAt: string | null; undoneBy: string | null; filter: string; mayUndo: boolean };

function unwrap<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

export function BulkRelabelForm({ filter, batches }: { filter: string; batches: TBatch[] }) {
  const router = useRouter();
  const [value, setValue] = useState<TValue>("correct");
  const [note, setNote] = useState("");
  const preview = useMutation({ mutationFn: async () => unwrap(await previewBulkRelabelAction({ filter, value, note })) });
  const apply = useMutation({
    mutationFn: async (expectedChanges: number) => unwrap(await applyBulkRelabelAction({ filter, value, note, expectedChanges })),
    onSuccess: () => {
      preview.reset();
      router.refresh();
    },
  });
  // (declared after `apply`: its success clears apply's message)
  const undo = useMutation({
    mutationFn: async (batchId: number) => unwrap(await undoBulkRelabelAction(batchId)),
    onSuccess: () => {
      apply.reset();
      router.refresh();
    },
  });
  const changeInput = (fn: () => void) => {
    fn();
    preview.reset();
    apply.reset();
  };

  return (
    <div className="mt-6 space-y-6">
      <form
        className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
        aria-label="Bulk relabel"
        onSubmit={(e) => {
          e.preventDefault();
          preview.mutate();
        }}
      >
        <div className="flex flex-wrap items-end gap-4">
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium">New label</span>
            <select value={value} onChange={(e) => changeInput(() => setValue(e.target.value as TValue))} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
              <option value="correct">correct</option>
              <option value="incorrect">incorrect</option>
              <option value="unsure">unsure</option>
            </select>
          </label>
          <label className="flex min-w-64 flex-1 flex-col gap-1">
            <span className="text-sm font-medium">Note (why)</span>
            <input value={note} onChange={(e) => changeInput(() => setNote(e.target.value))} maxLength={2000} className="rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <button type="submit" disabled={preview.isPending} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50">
            Count changes
          </button>
        </div>
        {preview.isError && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
            {preview.error.message}
          </p>
        )}
        {preview.data && (
          <div className="rounded-md bg-amber-50 px-3 py-2 text-amber-950 ring-1 ring-amber-200" data-testid="bulk-preview">
            <p>
              {formatInt(preview.data.matched)} responses match. <strong>{formatInt(preview.data.changes)} labels will change</strong> ({formatInt(preview.data.newLabels)} new),
              and {formatInt(preview.data.goldChanges)} gold labels with them.
            </p>
            {preview.data.changes > 0 && (
              <button
                type="button"
                disabled={apply.isPending}
                onClick={() => apply.mutate(preview.data.changes)}
                className="mt-2 rounded-md bg-amber-700 px-3 py-1.5 font-medium text-white hover:bg-amber-600 disabled:opacity-50"
              >
                {apply.isPending ? "Relabeling…" : `Confirm: relabel ${formatInt(preview.data.changes)} as ${value}`}
              </button>
            )}
          </div>
        )}
        {apply.isError && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
            {apply.error.message}
          </p>
        )}
        {apply.data && (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-900">
            Relabeled {formatInt(apply.data.changed)} responses. You can undo it below.
          </p>
        )}
      </form>

      <section>
        <h2 className="font-semibold">Recent bulk relabels of this dataset</h2>
        {undo.isError && (
          <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-red-800">
            {undo.error.message}
          </p>
        )}
        {undo.data && (
          <p role="status" className="mt-2 rounded-md bg-emerald-50 px-3 py-2 text-emerald-900" data-testid="bulk-undone">
            Undone: {formatInt(undo.data.restored)} labels restored{undo.data.kept > 0 ? `, ${formatInt(undo.data.kept)} kept because they changed again since` : ""}.
          </p>
        )}
        {batches.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">None yet.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 rounded-md bg-white ring-1 ring-slate-200" data-testid="bulk-batches">
            {batches.map((b) => (
              <li key={b.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
                <LabelBadge label={b.value} />
                <span>
                  {formatInt(b.changed)} labels · {b.filter}
                  {b.note && <span className="text-slate-500"> · “{b.note}”</span>}
                </span>
                <span className="text-xs text-slate-500">
                  {b.by}, {formatWhen(b.createdAt)} UTC
                </span>
                {b.undoneAt ? (
                  <span className="ml-auto text-xs text-slate-500">undone by {b.undoneBy}</span>
                ) : !b.mayUndo ? (
                  <span className="ml-auto text-xs text-slate-500">{b.by} or an admin may undo it</span>
                ) : (
                  <button type="button" disabled={undo.isPending} onClick={() => undo.mutate(b.id)} className="ml-auto rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50 disabled:opacity-50">
                    Undo this step
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
