"use client";

// Pickers of a view's own parameters, as a GET form: the URL is the state. `hidden` carries the
// parameters the form does not show (the dataset...).
import { useRef } from "react";

type TPicker = { name: string; label: string; value: string; options: { value: string; label: string }[] };

export function Pickers({ path, hidden, pickers }: { path: string; hidden: Record<string, string>; pickers: TPicker[] }) {
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} method="get" action={path} className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" aria-label="View options">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {pickers.map((p) => (
        <label key={p.name} className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-500">{p.label}</span>
          <select name={p.name} defaultValue={p.value} onChange={() => form.current?.requestSubmit()} className="max-w-64 rounded-md border border-slate-300 bg-white px-2 py-1.5">
            {p.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <noscript>
        <button type="submit" className="rounded-md border border-slate-300 px-2 py-1.5">
          Show
        </button>
      </noscript>
    </form>
  );
}

/** A headline figure. */
export function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <div className="text-xs text-slate-500">{label}</div>
      <div className="mt-0.5 text-2xl font-semibold tabular-nums">{value}</div>
      {hint && <div className="mt-0.5 text-xs text-slate-500">{hint}</div>}
    </div>
  );
}
