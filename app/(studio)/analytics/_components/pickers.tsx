"use client";

// Pickers of a view's own parameters, as a GET form: the URL is the state. `hidden` carries the
// parameters the form does not show (the dataset...).
import { useEffect, useRef, useState } from "react";

type TPicker = { name: string; label: string; value: string; options: { value: string; label: string }[] };

export function Pickers({ path, hidden, pickers }: { path: string; hidden: Record<string, string>; pickers: TPicker[] }) {
  const form = useRef<HTMLFormElement>(null);
  // The form navigates the whole page; until the server has computed the new figures (seconds,
  // the first time over a large dataset) the old ones stay on screen: say that new ones are coming.
  const [pending, setPending] = useState(false);
  useEffect(() => {
    // Back to this page from the browser's cache: nothing is being computed for it.
    const shown = (event: PageTransitionEvent) => event.persisted && setPending(false);
    window.addEventListener("pageshow", shown);
    return () => window.removeEventListener("pageshow", shown);
  }, []);
  // The page is loaded afresh: the list a change came from gets the focus back on the new page,
  // so that a keyboard user stepping through its options (each step a change) stays on it
  // instead of starting again from the top.
  useEffect(() => {
    const wanted = takeRefocus(path);
    if (wanted) form.current?.querySelector<HTMLSelectElement>(`select[name="${CSS.escape(wanted)}"]`)?.focus();
  }, [path]);
  const submit = (event: React.ChangeEvent<HTMLSelectElement>) => {
    keepRefocus(path, event.currentTarget.name);
    setPending(true);
    form.current?.requestSubmit();
  };
  return (
    <form
      ref={form}
      method="get"
      action={path}
      className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
      aria-label="View options"
      aria-busy={pending}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {pickers.map((p) => (
        <label key={p.name} className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-500">{p.label}</span>
          <select
            name={p.name}
            defaultValue={p.value}
            onChange={submit}
            aria-disabled={pending}
            className="max-w-64 rounded-md border border-slate-300 bg-white px-2 py-1.5 aria-disabled:opacity-60"
          >
            {p.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      {pending && (
        <span role="status" className="self-center text-sm text-slate-600">
          Computing…
        </span>
      )}
      <noscript>
        <button type="submit" className="rounded-md border border-slate-300 px-2 py-1.5">
          Show
        </button>
      </noscript>
    </form>
  );
}

const REFOCUS_KEY = "studio:analytics-refocus";

function keepRefocus(path: string, name: string) {
  try {
    sessionStorage.setItem(REFOCUS_KEY, JSON.stringify({ path, name, at: Date.now() }));
  } catch {
    // storage refused (private mode, quota): the focus starts at the top, as before
  }
}

/** The list to focus on this page, if a change on it loaded the page in the last seconds; read once. */
function takeRefocus(path: string): string | null {
  try {
    const raw = sessionStorage.getItem(REFOCUS_KEY);
    sessionStorage.removeItem(REFOCUS_KEY);
    const entry = raw ? (JSON.parse(raw) as { path?: string; name?: string; at?: number }) : null;
    return entry && entry.path === path && typeof entry.name === "string" && Date.now() - (entry.at ?? 0) < 30_000 ? entry.name : null;
  } catch {
    return null;
  }
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
