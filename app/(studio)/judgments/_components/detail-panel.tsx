"use client";

// The detail of one response beside the list: question, reference, the full response with its
// final step, every judge's output, the expert labels and their history. Esc closes it; j / k
// move to the next / previous row, past the page's ends onto the next / previous page.
import { useEffect, useRef } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { LabelBadge, VerdictBadge } from "@/components/ui/badges";
import { formatScore, formatWhen } from "@/components/ui/format";
import { eq4Reward, renormalizedReward } from "@/lib/verifier/soft-reward";
import { metadataEntries } from "@/lib/judgments/metadata";
import { useResponseDetail } from "./use-response-detail";
import { LabelEditor } from "./label-editor";
import { useSetLabel } from "./use-set-label";
import { Adjudicate } from "./adjudicate";

/** `nextPage` / `previousPage`: the pages on either side, opening their first / last row (null: none). */
type TProps = { responseId: number; rowIds: number[]; nextPage: string | null; previousPage: string | null; canLabel: boolean; canAdjudicate: boolean };

export function DetailPanel({ responseId, rowIds, nextPage, previousPage, canLabel, canAdjudicate }: TProps) {
  const { data, error, isPending } = useResponseDetail(responseId);
  // Held here, not in the editor: the editor is made afresh when the label's version changes (its
  // fields then show the label as stored), which a refused save's rollback does; the refusal
  // must outlive it to be read.
  const setLabel = useSetLabel();
  // Another item: what a save of the one before said is not this one's (a save still on its way completes all the same).
  const { reset: resetLabel, isPending: labelPending } = setLabel;
  useEffect(() => {
    if (!labelPending) resetLabel();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the item changes
  }, [responseId]);
  const values = data?.labels.map((l) => l.value) ?? [];
  const disagree = values.includes("correct") && values.includes("incorrect");
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  const hrefFor = (id: number | null) => {
    const params = new URLSearchParams(searchParams.toString());
    params.delete("open");
    if (id === null) params.delete("item");
    else params.set("item", String(id));
    return `${pathname}?${params.toString()}`;
  };

  // Keyboard users land in the panel when it opens (the next Tab reaches its buttons, not the
  // row behind it), and back on the item's row when it closes.
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.focus({ preventScroll: true });
  }, [responseId]);
  useEffect(
    () => () => {
      const row = document.querySelector<HTMLElement>(`tr[data-response-id="${responseId}"] a`);
      if (row && (document.activeElement === document.body || document.activeElement === null)) row.focus({ preventScroll: true });
    },
    [responseId],
  );

  // On a narrow screen the panel covers the whole page: what is behind it is made inert, so that
  // Tab and a screen reader stay in the panel instead of reaching rows nobody can see.
  useEffect(() => {
    const narrow = window.matchMedia("(max-width: 42rem)");
    let made: HTMLElement[] = [];
    const apply = () => {
      for (const el of made) el.inert = false;
      made = [];
      if (!narrow.matches) return;
      for (let node = panel.current; node && node !== document.body; node = node.parentElement) {
        for (const sibling of Array.from(node.parentElement?.children ?? [])) {
          if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert) {
            sibling.inert = true;
            made.push(sibling);
          }
        }
      }
    };
    apply();
    narrow.addEventListener("change", apply);
    return () => {
      narrow.removeEventListener("change", apply);
      for (const el of made) el.inert = false;
    };
  }, []);

  // The next and previous items, across pages at the ends of this one: j / k, and the buttons
  // in the header (a touch screen has no keys). The list is in id order, so an item that is not
  // (or no longer) on the page has its neighbours all the same: a decision or a label that took it
  // out of the filter leaves the panel on it, and Next goes on to the one that followed it.
  const nextId = rowIds.find((id) => id > responseId);
  const previousId = rowIds.filter((id) => id < responseId).at(-1);
  const nextHref = nextId !== undefined ? hrefFor(nextId) : nextPage;
  const previousHref = previousId !== undefined ? hrefFor(previousId) : previousPage;
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === "Escape") router.push(hrefFor(null), { scroll: false });
      else if (event.key === "j" && nextHref) router.push(nextHref, { scroll: false });
      else if (event.key === "k" && previousHref) router.push(previousHref, { scroll: false });
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <aside
      ref={panel}
      tabIndex={-1}
      aria-label="Response detail"
      className="fixed inset-y-0 right-0 z-30 flex w-full max-w-2xl flex-col border-l border-slate-200 bg-white shadow-xl"
      data-testid="detail-panel"
    >
      <div className="flex items-center gap-3 border-b border-slate-200 px-5 py-3">
        <h2 className="font-semibold">Response {responseId}</h2>
        <span className="hidden text-xs text-slate-500 sm:inline">j / k: next / previous · Esc: close</span>
        <nav aria-label="Items" className="ml-auto flex gap-1">
          {[
            { href: previousHref, label: "Previous", text: "↑ Previous" },
            { href: nextHref, label: "Next", text: "↓ Next" },
          ].map((b) =>
            b.href ? (
              <Link key={b.label} href={b.href} scroll={false} className="rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-100" aria-keyshortcuts={b.label === "Next" ? "j" : "k"}>
                {b.text}
              </Link>
            ) : (
              <span key={b.label} className="px-2 py-1 text-sm text-slate-300" aria-disabled="true">
                {b.text}
              </span>
            ),
          )}
        </nav>
        <Link href={hrefFor(null)} scroll={false} className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100" aria-label="Close detail">
          ✕
        </Link>
      </div>
      <div className="flex-1 space-y-5 overflow-y-auto px-5 py-4">
        {isPending && <p className="text-slate-500">Loading…</p>}
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
            {error.message}
          </p>
        )}
        {data && (
          <>
            <Section title="Question">
              <p className="whitespace-pre-wrap">{data.question.text}</p>
            </Section>
            <Section title="Reference answer">
              <p className="whitespace-pre-wrap">{data.question.reference}</p>
            </Section>
            <Section title={`Response${data.policyModel ? ` · ${data.policyModel}` : ""} · sample ${data.sampleIndex}`}>
              <pre className="max-h-72 overflow-y-auto rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap" data-testid="response-text">
                {data.text}
              </pre>
              <p className="mt-2">
                <span className="text-xs font-semibold text-slate-500 uppercase">Final step</span>{" "}
                <mark className="rounded bg-yellow-100 px-1 whitespace-pre-wrap" data-testid="final-step">
                  {data.finalStep}
                </mark>
              </p>
            </Section>
            <ItemFacts question={data.question} metadata={data.metadata} />
            <Section title="Judgments">
              {data.judgments.length === 0 && <p className="text-slate-500">No judge has judged this response.</p>}
              <ul className="space-y-3">
                {data.judgments.map((j) => (
                  <li key={j.id} className="rounded-md border border-slate-200 p-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">
                        {j.judge.name}
                        {j.judge.sizeLabel && ` (${j.judge.sizeLabel})`}
                      </span>
                      {j.judge.archivedAt && <span className="rounded bg-amber-50 px-1 text-xs text-amber-800">archived judge</span>}
                      <VerdictBadge verdict={j.verdict} error={j.error} />
                      {j.templateVersion && <span className="text-xs text-slate-500">template {j.templateVersion}</span>}
                      {j.sample > 0 && <span className="text-xs text-slate-500">sample {j.sample}</span>}
                    </div>
                    <dl className="mt-2 grid grid-cols-4 gap-2 text-xs">
                      <Stat label="P(YES)" value={formatScore(j.pYes)} />
                      <Stat label="P(NO)" value={formatScore(j.pNo)} />
                      <Stat label="Reward (Eq. 4)" value={formatScore(eq4Reward(j.verdict, j.pYes, j.pNo))} />
                      <Stat label="Renormalised" value={formatScore(renormalizedReward(j.pYes, j.pNo))} />
                    </dl>
                    {j.error && <p className="mt-2 text-xs text-amber-900">{j.error}</p>}
                    {j.rawOutput !== null && (
                      <details className="mt-2">
                        <summary className="cursor-pointer text-xs text-slate-600">Raw output</summary>
                        <pre className="mt-1 max-h-48 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap" data-testid="raw-output">
                          {j.rawOutput}
                        </pre>
                      </details>
                    )}
                  </li>
                ))}
              </ul>
            </Section>
            <Section title="Expert labels">
              <p className="mb-2">
                Gold label: <LabelBadge label={data.goldLabel} />
                <span className="ml-2 text-xs text-slate-500">
                  {data.adjudication && disagree
                    ? `the adjudicator's decision (${data.adjudication.decidedBy?.name ?? "—"}, v${data.adjudication.version})`
                    : data.labels.length === 0
                      ? "no expert has labeled it"
                      : data.goldLabel === null
                        ? "as many experts said correct as incorrect: none until an adjudicator decides"
                        : "majority of the experts"}
                </span>
              </p>
              {data.labels.length === 0 ? (
                <p className="text-slate-500">No expert has labeled this response.</p>
              ) : (
                <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="expert-labels">
                  {data.labels.map((l) => (
                    <li key={l.id} className="flex items-center gap-3 px-3 py-1.5">
                      <span className="min-w-32">{l.user?.name ?? l.annotator}</span>
                      <LabelBadge label={l.value} />
                      <span className="text-xs text-slate-500">v{l.version}</span>
                      {l.note && <span className="truncate text-xs text-slate-600">{l.note}</span>}
                      <span className="ml-auto text-xs text-slate-400">{l.source}</span>
                    </li>
                  ))}
                </ul>
              )}
              {disagree && (
                <Adjudicate key={`adj:${responseId}`} responseId={responseId} current={data.adjudication} canAdjudicate={canAdjudicate} />
              )}
              <LabelEditor key={`${responseId}:${data.myLabel?.version ?? 0}`} responseId={responseId} current={data.myLabel} canLabel={canLabel} mutation={setLabel} />
            </Section>
            <Section title="Label history">
              <LabelHistory changes={data.labelChanges} decisions={data.decisions} />
            </Section>
          </>
        )}
      </div>
    </aside>
  );
}

type TDetail = NonNullable<ReturnType<typeof useResponseDetail>["data"]>;

/** The experts' label changes and the adjudicator's decisions, newest first, in one list. */
function LabelHistory({ changes, decisions }: { changes: TDetail["labelChanges"]; decisions: TDetail["decisions"] }) {
  const entries = [
    ...changes.map((h) => ({
      key: `l${h.id}`,
      at: h.createdAt,
      text: `${h.changedBy?.name ?? `import (${h.annotator ?? h.label?.annotator ?? "?"})`}: ${h.oldValue ?? "—"} → ${h.newValue ?? "removed"}${h.batchId !== null ? " (bulk)" : ""}${
        h.newNote && h.newNote !== h.oldNote ? ` · “${h.newNote}”` : ""
      } (v${h.version})`,
    })),
    ...decisions.map((d) => ({
      key: `d${d.id}`,
      at: d.createdAt,
      text: `${d.decidedBy?.name ?? "a removed user"}, adjudicating: ${d.oldValue ?? "—"} → ${d.newValue ?? "?"}${d.note ? ` · “${d.note}”` : ""}${d.version !== null ? ` (decision v${d.version})` : ""}`,
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  if (entries.length === 0) return <p className="text-slate-500">No changes yet.</p>;
  return (
    <ol className="space-y-1 text-xs" data-testid="label-history">
      {entries.map((e) => (
        <li key={e.key} className="flex gap-2">
          <time className="shrink-0 text-slate-400 tabular-nums" dateTime={e.at}>
            {formatWhen(e.at)} UTC
          </time>
          <span>{e.text}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * Where the item came from: the question's subject, language and id, and what the import kept of
 * the file beyond the mapped columns, or the reward endpoint recorded (the trainer's step, the
 * request). Shown as text: it is whatever the file held.
 */
function ItemFacts({ question, metadata }: { question: TDetail["question"]; metadata: unknown }) {
  const facts = [
    ["subject", question.subject],
    ["language", question.language],
    ["question id", question.externalId],
  ].filter((f): f is [string, string] => typeof f[1] === "string" && f[1] !== "");
  const ofQuestion = metadataEntries(question.metadata);
  const ofResponse = metadataEntries(metadata);
  if (facts.length + ofQuestion.entries.length + ofResponse.entries.length === 0) return null;
  const rows = [
    ...facts.map(([key, value]) => ({ key, value, of: "" })),
    ...ofQuestion.entries.map((e) => ({ ...e, of: "question" })),
    ...ofResponse.entries.map((e) => ({ ...e, of: "response" })),
  ];
  const more = ofQuestion.more + ofResponse.more;
  return (
    <Section title="About this item">
      <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 gap-y-1 text-xs" data-testid="item-facts">
        {rows.map((r) => (
          <div key={`${r.of}:${r.key}`} className="contents">
            <dt className="text-slate-500" title={r.of ? `kept with the ${r.of}` : undefined}>
              {r.key}
            </dt>
            <dd className="break-words whitespace-pre-wrap">{r.value}</dd>
          </div>
        ))}
      </dl>
      {more > 0 && <p className="mt-1 text-xs text-slate-500">and {more} more fields (GET /api/v1/responses/:id has them all)</p>}
    </Section>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {children}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}
