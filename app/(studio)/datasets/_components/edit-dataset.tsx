"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { updateDatasetAction } from "@/lib/datasets/actions";

/** A researcher's edit of a dataset's name and description, in place of the page's heading. */
export function EditDataset({ id, name, description }: { id: number; name: string; description: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState({ name, description });
  // What the dataset is, as far as this form knows: the page's, then what this form saved (the
  // page's refresh after a save may come later than a second edit).
  const [saved, setSaved] = useState({ name, description });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const close = () => {
    setOpen(false);
    setFields({ name, description });
    setError(null);
  };
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className="text-sm text-slate-600 hover:text-blue-700 hover:underline">
        Edit
      </button>
    );
  }
  return (
    <form
      aria-label="Edit dataset"
      className="mt-3 w-full max-w-3xl rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        startTransition(async () => {
          const result = await updateDatasetAction({ id, ...fields, expected: saved });
          if (!result.ok) return setError(result.error.message);
          setSaved({ name: result.data.name, description: result.data.description });
          setOpen(false);
          router.refresh();
        });
      }}
      onKeyDown={(e) => e.key === "Escape" && close()}
    >
      <label className="block text-sm">
        <span className="text-slate-600">Name</span>
        <input value={fields.name} onChange={(e) => setFields({ ...fields, name: e.target.value })} maxLength={200} required autoFocus className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5" />
      </label>
      <p className="mt-1 text-xs text-slate-500">Imports into a dataset and the reward endpoint&apos;s training runs find it by its name: after a rename, use the new one.</p>
      <label className="mt-3 block text-sm">
        <span className="text-slate-600">Description</span>
        <textarea value={fields.description} onChange={(e) => setFields({ ...fields, description: e.target.value })} maxLength={2000} rows={3} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5" />
      </label>
      <div className="mt-3 flex items-center gap-3">
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-1.5 text-white hover:bg-blue-800 disabled:opacity-50">
          {pending ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={close} className="text-sm text-slate-600 hover:underline">
          Cancel
        </button>
        {error && (
          <span role="alert" className="text-sm text-red-700">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
