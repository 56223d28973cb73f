"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteDatasetAction } from "@/lib/datasets/actions";

/** An admin's deletion of a dataset, confirmed by typing its name. */
export function DeleteDataset({ id, name, summary }: { id: number; name: string; summary: string }) {
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <details className="mt-10 rounded-lg border border-red-200 bg-white p-4" data-testid="delete-dataset">
      <summary className="cursor-pointer font-medium text-red-800">Delete this dataset…</summary>
      <p className="mt-2 max-w-3xl text-sm text-slate-700">
        Deletes {summary}, with their judgments, expert labels and their history, review queues, runs and figures, for everyone. Its imports and exports stay
        listed, without it. This cannot be undone. It is refused while an import, a judge run or an export is working on it.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          startTransition(async () => {
            const result = await deleteDatasetAction({ id, confirmName: typed });
            if (result.ok) router.push("/datasets");
            else setError(result.error.message);
          });
        }}
      >
        <label className="text-sm">
          <span className="block text-slate-600">
            Type <span className="font-mono font-medium text-slate-900">{name}</span> to confirm
          </span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" aria-label="Dataset name to confirm" className="mt-1 w-80 rounded border border-slate-300 px-2 py-1.5" />
        </label>
        <button type="submit" disabled={pending || typed !== name} className="rounded bg-red-700 px-4 py-1.5 text-white hover:bg-red-800 disabled:opacity-50">
          {pending ? "Deleting…" : "Delete dataset"}
        </button>
        {error && (
          <span role="alert" className="text-sm text-red-700">
            {error}
          </span>
        )}
      </form>
    </details>
  );
}
