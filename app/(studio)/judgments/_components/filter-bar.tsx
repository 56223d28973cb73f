"use client";

// The filters as a GET form: the URL is the state, so a view is a shareable link. Changing a
// select submits at once; the search box submits on Enter.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

// The field a change came from, to give it the focus back in the form made afresh for the new
// filters (a keyboard user stepping through a select's options stays on it).
let refocus: { index: number; at: number } | null = null;

type TProps = {
  datasets: { id: number; name: string }[];
  judges: { id: number; name: string }[];
  filters: { dataset: number; verdict: Record<number, string>; disagree: string; label: string; subject: string; model: string; len: string; q: string };
  subjects: string[];
  policyModels: string[];
  lengthBuckets: { key: string; label: string }[];
  /** a soft-reward band (reached from a calibration bin): kept with the other filters, removable */
  band: { param: string; text: string; removeHref: string } | null;
};

const select = "rounded-md border border-slate-300 bg-white px-2 py-1.5";

export function FilterBar({ datasets, judges, filters, subjects, policyModels, lengthBuckets, band }: TProps) {
  const form = useRef<HTMLFormElement>(null);
  const router = useRouter();
  const submit = (event: React.ChangeEvent<HTMLSelectElement>) => {
    refocus = form.current ? { index: Array.from(form.current.elements).indexOf(event.currentTarget), at: Date.now() } : null;
    form.current?.requestSubmit();
  };
  // Another dataset starts without filters: they name this one's judges, subjects and models, and
  // kept over another dataset they would select nothing, unseen (its filter bar has no field for them).
  const switchDataset = (event: React.ChangeEvent<HTMLSelectElement>) => {
    refocus = form.current ? { index: Array.from(form.current.elements).indexOf(event.currentTarget), at: Date.now() } : null;
    router.push(`/judgments?dataset=${encodeURIComponent(event.currentTarget.value)}`);
  };
  useEffect(() => {
    // Only for the navigation the change started (a form made later, say by Reset, keeps its focus).
    const wanted = refocus && Date.now() - refocus.at < 10_000 ? refocus.index : null;
    refocus = null;
    const field = wanted === null ? null : form.current?.elements[wanted];
    if (field instanceof HTMLElement) field.focus();
  }, []);
  // The fields set, and only those, become the URL (a GET form would add every empty one).
  const apply = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Enter in the search box (or Apply): the field it came from keeps the focus on the new list.
    const from = Array.from(event.currentTarget.elements).indexOf(document.activeElement as Element);
    if (from >= 0) refocus = { index: from, at: Date.now() };
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(event.currentTarget)) if (typeof value === "string" && value !== "") params.append(name, value);
    router.push(`/judgments?${params.toString()}`);
  };
  const raters = [...judges.map((j) => ({ key: String(j.id), name: j.name })), { key: "expert", name: "Experts" }];
  const pairs = raters.flatMap((a, i) =>
    raters.slice(i + 1).map((b) => ({ value: `${a.key}:${b.key}`, name: `${a.name} ≠ ${b.name}` })),
  );

  return (
    <form ref={form} method="get" action="/judgments" onSubmit={apply} className="mt-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" aria-label="Filters">
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-500">Dataset</span>
        <select name="dataset" defaultValue={filters.dataset} onChange={switchDataset} className={select}>
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      {judges.map((j) => (
        <label key={j.id} className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-500">{j.name} says</span>
          <select name="verdict" defaultValue={filters.verdict[j.id] ? `${j.id}:${filters.verdict[j.id]}` : ""} onChange={submit} className={select}>
            <option value="">any</option>
            <option value={`${j.id}:YES`}>YES</option>
            <option value={`${j.id}:NO`}>NO</option>
            <option value={`${j.id}:UNPARSEABLE`}>unparseable</option>
            <option value={`${j.id}:FAILED`}>call failed</option>
            <option value={`${j.id}:NONE`}>not judged</option>
          </select>
        </label>
      ))}
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-500">Disagreement</span>
        <select name="disagree" defaultValue={filters.disagree} onChange={submit} className={select}>
          <option value="">none selected</option>
          {pairs.map((p) => (
            <option key={p.value} value={p.value}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-500">Expert label</span>
        <select name="label" defaultValue={filters.label} onChange={submit} className={select}>
          <option value="">any</option>
          <option value="correct">correct</option>
          <option value="incorrect">incorrect</option>
          <option value="unsure">unsure</option>
          <option value="none">no label</option>
          <option value="decided">correct or incorrect</option>
          <option value="undecided">unsure or no label</option>
          <option value="disputed">experts disagree (to adjudicate)</option>
        </select>
      </label>
      {subjects.length > 0 && (
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-500">Subject</span>
          <select name="subject" defaultValue={filters.subject} onChange={submit} className={`${select} max-w-48`}>
            <option value="">any</option>
            {subjects.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      )}
      {policyModels.length > 0 && (
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-500">Policy model</span>
          <select name="model" defaultValue={filters.model} onChange={submit} className={`${select} max-w-48`}>
            <option value="">any</option>
            {policyModels.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-500">Response length</span>
        <select name="len" defaultValue={filters.len} onChange={submit} className={select}>
          <option value="">any</option>
          {lengthBuckets.map((b) => (
            <option key={b.key} value={b.key}>
              {b.label}
            </option>
          ))}
        </select>
      </label>
      {band && (
        <span className="flex items-center gap-2 self-end rounded-md bg-blue-50 px-2 py-1.5 text-sm text-blue-900" data-testid="reward-band">
          <input type="hidden" name="reward" value={band.param} />
          {band.text}
          <Link href={band.removeHref} aria-label="Remove the soft-reward band" className="text-blue-700 hover:underline">
            ✕
          </Link>
        </span>
      )}
      <label className="flex min-w-56 flex-1 flex-col gap-1">
        <span className="text-xs font-medium text-slate-500">Search question and response</span>
        <input type="search" name="q" defaultValue={filters.q} placeholder="text, then Enter" className={select} />
      </label>
      <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
        Apply
      </button>
      <Link href={`/judgments?dataset=${filters.dataset}`} className="py-1.5 text-slate-600 hover:underline">
        Reset
      </Link>
    </form>
  );
}
