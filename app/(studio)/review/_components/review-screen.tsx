"use client";

// The review screen: one item at a time, labeled with the keyboard. Labels are shown at once and
// saved in the background (in order, with optimistic concurrency); the next items are claimed
// ahead of time, so moving on after a label is a re-render, not a request. A refused save (the
// label changed elsewhere) is reported with the current value and never retried blindly.
import Link from "next/link";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { LabelBadge } from "@/components/ui/badges";
import type { TReviewItem } from "@/lib/review/items";
import { unskipQueueItemsAction } from "@/lib/review/actions";
import { ItemView } from "./item-view";
import { JudgesPanel } from "./judges-panel";
import { Kbd, SHORTCUTS, ShortcutHelp } from "./shortcuts";
import { loadUndoSteps, saveUndoSteps } from "./undo-store";
import { ActionError, useClaimItems, useSaveLabel, useSkipItem, useUndoLabel, type TServerState, type TUndoStep } from "./use-review";

type TValue = "correct" | "incorrect" | "unsure";
type TStatus = "open" | "saving" | "saved" | "skipped" | "conflict" | "failed";
type TEntry = TReviewItem & { note: string; status: TStatus };
type TProblem = { responseId: number; message: string };

/** Keep this many unlabeled items ready ahead of the current one. */
const AHEAD = 3;
const BATCH = 5;

const VALUES: { value: TValue; key: string; label: string; style: string }[] = [
  { value: "correct", key: "Y", label: "Correct", style: "border-emerald-300 bg-emerald-50 text-emerald-900 hover:bg-emerald-100" },
  { value: "incorrect", key: "N", label: "Incorrect", style: "border-rose-300 bg-rose-50 text-rose-900 hover:bg-rose-100" },
  { value: "unsure", key: "U", label: "Unsure", style: "border-slate-300 bg-white text-slate-800 hover:bg-slate-50" },
];

type TProps = { queueId: number; queueName: string; instructions: string; blind: boolean; itemCount: number; initialItems: TReviewItem[]; done: number; skipped: number };

export function ReviewScreen({ queueId, queueName, instructions, blind, itemCount, initialItems, done, skipped }: TProps) {
  const [entries, setEntries] = useState<TEntry[]>(() => initialItems.map((i) => ({ ...i, note: i.myLabel?.note ?? "", status: i.myLabel ? "saved" : "open" })));
  const [index, setIndex] = useState(0);
  const [exhausted, setExhausted] = useState(initialItems.length === 0);
  const [problems, setProblems] = useState<TProblem[]>([]);
  const [flash, setFlash] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [labeledNow, setLabeledNow] = useState(0);
  // Read and written by the save calls as they run (not render state): a stable object.
  const [server] = useState<TServerState>(() => ({ versions: new Map(initialItems.map((i) => [i.responseId, i.myLabel?.version ?? null])) }));
  const undoSteps = useRef<TUndoStep[]>([]);
  // The steps of the page before a reload of this tab (./undo-store.ts), under this page's; once
  // (an effect may run twice).
  const stepsLoaded = useRef(false);
  useEffect(() => {
    if (stepsLoaded.current) return;
    stepsLoaded.current = true;
    undoSteps.current = [...loadUndoSteps(queueId), ...undoSteps.current];
  }, [queueId]);
  // Where the expert is when an undo's answer comes back (they may have moved on meanwhile).
  const indexNow = useRef(index);
  useEffect(() => {
    indexNow.current = index;
  }, [index]);
  const keepSteps = () => saveUndoSteps(queueId, undoSteps.current);
  // Read out by screen readers as the screen moves on: what was done, then the item now shown
  // (the screen changes under the keys with no focus moving, so nothing else would be said).
  const lastAction = useRef("");
  const [announcement, setAnnouncement] = useState("");
  const note = useRef<HTMLTextAreaElement>(null);

  const claim = useClaimItems(queueId);
  const save = useSaveLabel(queueId, server);
  const skip = useSkipItem(queueId);
  const undo = useUndoLabel(queueId, server);

  const current = entries[index];
  const ahead = entries.slice(index).filter((e) => e.status === "open").length;
  const update = (responseId: number, patch: Partial<TEntry>) =>
    setEntries((list) => list.map((e) => (e.responseId === responseId ? { ...e, ...patch } : e)));
  const report = (responseId: number, error: unknown) =>
    setProblems((list) => [...list.filter((p) => p.responseId !== responseId), { responseId, message: error instanceof Error ? error.message : String(error) }]);

  // Prefetch: claim more items while fewer than AHEAD unlabeled ones are left ahead.
  useEffect(() => {
    if (exhausted || claim.isPending || claim.isError || ahead >= AHEAD) return;
    const known = entries.map((e) => e.responseId).slice(-500);
    claim.mutateAsync({ count: BATCH, exclude: known }).then((items) => {
      const fresh = items.filter((i) => !known.includes(i.responseId));
      for (const i of fresh) server.versions.set(i.responseId, i.myLabel?.version ?? null);
      if (fresh.length === 0) setExhausted(true);
      else setEntries((list) => [...list, ...fresh.map((i): TEntry => ({ ...i, note: i.myLabel?.note ?? "", status: i.myLabel ? "saved" : "open" }))]);
    }, () => {});
  }, [ahead, exhausted, claim, entries, server]);

  function label(value: TValue) {
    if (!current) return;
    const step: TUndoStep = { responseId: current.responseId, kind: "label", historyId: null };
    const previous = { myLabel: current.myLabel, status: current.status };
    undoSteps.current.push(step);
    lastAction.current = `Labeled ${value}. `;
    const noteText = current.note.trim();
    update(current.responseId, { myLabel: { value, note: noteText, version: current.myLabel?.version ?? 0 }, status: "saving" });
    setIndex((i) => i + 1);
    save.mutateAsync({ responseId: current.responseId, value, note: noteText, step }).then(
      (data) => {
        update(current.responseId, {
          myLabel: data.label,
          status: "saved",
          ...(data.judgments ? { judgments: data.judgments } : {}),
        });
        if (!previous.myLabel && data.changed) setLabeledNow((n) => n + 1);
        keepSteps();
      },
      (error: unknown) => {
        const current2 = error instanceof ActionError && error.code === "CONFLICT" ? (error.details as { current?: TEntry["myLabel"] })?.current : undefined;
        update(current.responseId, { myLabel: current2 ?? previous.myLabel, status: error instanceof ActionError && error.code === "CONFLICT" ? "conflict" : "failed" });
        report(current.responseId, error);
      },
    );
  }

  function skipCurrent() {
    if (!current) return;
    lastAction.current = "Skipped. ";
    undoSteps.current.push({ responseId: current.responseId, kind: "skip", historyId: null });
    update(current.responseId, { status: "skipped" });
    setIndex((i) => i + 1);
    skip.mutateAsync(current.responseId).catch((error: unknown) => report(current.responseId, error));
  }

  function undoLast() {
    const step = undoSteps.current.pop();
    if (!step) {
      setFlash("Nothing to undo.");
      return;
    }
    keepSteps();
    const at = entries.findIndex((e) => e.responseId === step.responseId);
    // A label given before a reload: its item is not on this page, and comes back with the undo.
    if (at === -1) return undoElsewhere(step);
    setIndex(at);
    if (step.kind === "skip") {
      update(step.responseId, { status: "open" });
      return;
    }
    update(step.responseId, { status: "saving" });
    undo.mutateAsync(step).then(
      (data) => {
        if (!data) return update(step.responseId, { status: server.versions.get(step.responseId) == null ? "open" : "saved" });
        update(step.responseId, { myLabel: data.label, status: data.label ? "saved" : "open" });
        if (!data.label) setLabeledNow((n) => n - 1);
        setFlash(data.label ? `Undone: your label is "${data.label.value}" again.` : "Undone: the label is removed; label the item again.");
      },
      (error: unknown) => {
        update(step.responseId, { status: "conflict" });
        report(step.responseId, error);
      },
    );
  }

  function undoElsewhere(step: TUndoStep) {
    undo.mutateAsync(step).then(
      (data) => {
        if (!data?.item) return setFlash("Nothing to undo.");
        const item: TEntry = { ...data.item, note: data.item.myLabel?.note ?? "", status: data.item.myLabel ? "saved" : "open" };
        // Shown where the expert is now, ahead of the item they were on.
        const at = indexNow.current;
        setEntries((list) => [...list.slice(0, at), item, ...list.slice(at)]);
        if (!data.label) setLabeledNow((n) => n - 1);
        const said = data.label ? `Undone: your label is "${data.label.value}" again.` : "Undone: the label is removed; label the item again.";
        setFlash(said);
        // The index does not move, so the announcement a move makes would not come: made here (the
        // flash, a status, says what was done).
        setAnnouncement(`Item ${at + 1}: ${item.question.replace(/\s+/g, " ").slice(0, 160)}`);
      },
      (error: unknown) => {
        setFlash(`Not undone: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  const announce = useEffectEvent(() => {
    const item = entries[index];
    const said = lastAction.current;
    lastAction.current = "";
    setAnnouncement(item ? `${said}Item ${index + 1} of ${entries.length}${exhausted ? "" : " so far"}: ${item.question.replace(/\s+/g, " ").slice(0, 160)}` : `${said}No item left in this batch.`);
  });
  useEffect(() => announce(), [index]);

  // Keyboard: single keys, ignored while typing in the note (Esc leaves it) or with modifiers.
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "?") setHelp((v) => !v);
    else if (key === "Escape") setHelp(false);
    // While the shortcuts are shown, the item behind them is not labelled by a key meant to try one.
    else if (help) return;
    else if (key === "y") label("correct");
    else if (key === "n") label("incorrect");
    else if (key === "u") label("unsure");
    else if (key === "s") skipCurrent();
    else if (key === "z") undoLast();
    else if (key === "j" || key === "ArrowRight") setIndex((i) => Math.min(i + 1, entries.length));
    else if (key === "k" || key === "ArrowLeft") setIndex((i) => Math.max(i - 1, 0));
    else if (key === "e") note.current?.focus();
    else return;
    event.preventDefault();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  // No label may be lost: leaving while saves are still on their way asks first.
  const isSaving = entries.some((e) => e.status === "saving");
  useEffect(() => {
    if (!isSaving) return;
    const onLeave = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, [isSaving]);

  useEffect(() => {
    if (!flash) return;
    const t = setTimeout(() => setFlash(null), 4000);
    return () => clearTimeout(t);
  }, [flash]);

  const skippedNow = entries.filter((e) => e.status === "skipped").length;
  const myDone = done + labeledNow;

  return (
    <main className="pb-16">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h1 className="text-xl font-semibold">{queueName}</h1>
        <p className="text-slate-600" data-testid="review-progress">
          You have labeled {myDone} · {itemCount} {itemCount === 1 ? "item" : "items"} in the queue{blind ? " · blind" : ""}
        </p>
        <Link href={`/review/${queueId}`} className="ml-auto text-blue-700 hover:underline">
          Queue progress
        </Link>
      </div>
      {instructions && (
        // Open at first, to be folded away once read (as text: it is what the queue's maker wrote).
        <details open className="mt-2 max-w-3xl rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="review-instructions">
          <summary className="cursor-pointer font-medium">Instructions</summary>
          <p className="mt-1 whitespace-pre-wrap">{instructions}</p>
        </details>
      )}

      {problems.length > 0 && (
        <div role="alert" className="mt-3 space-y-1 rounded-md bg-red-50 px-4 py-2 text-red-800" data-testid="review-problems">
          {problems.map((p) => (
            <p key={p.responseId}>
              Not saved, response {p.responseId}: {p.message}{" "}
              <button type="button" className="underline" onClick={() => setIndex(entries.findIndex((e) => e.responseId === p.responseId))}>
                Show it
              </button>{" "}
              <button type="button" className="underline" onClick={() => setProblems((list) => list.filter((x) => x !== p))}>
                Dismiss
              </button>
            </p>
          ))}
        </div>
      )}
      <p className="sr-only" aria-live="polite" data-testid="review-announcement">
        {announcement}
      </p>
      {flash && (
        <p role="status" className="mt-3 rounded-md bg-blue-50 px-4 py-2 text-blue-900">
          {flash}
        </p>
      )}

      {current ? (
        <div className="mt-4 grid gap-6 lg:grid-cols-[minmax(0,1fr)_320px]">
          <ItemView key={current.responseId} item={current} />
          <aside className="space-y-4 lg:sticky lg:top-16 lg:self-start" aria-label="Your label">
            <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <p className="flex items-center gap-2 text-sm">
                <span className="text-slate-500">Your label</span>
                <LabelBadge label={current.myLabel?.value ?? null} />
                <span className="text-xs text-slate-500" data-testid="save-status">
                  {current.status === "saving" ? "saving…" : current.status === "saved" && current.myLabel ? `saved · v${current.myLabel.version}` : current.status === "conflict" ? "not saved: changed elsewhere" : current.status === "failed" ? "not saved" : current.status === "skipped" ? "skipped" : ""}
                </span>
              </p>
              <div className="mt-3 grid grid-cols-3 gap-2">
                {VALUES.map((v) => (
                  <button key={v.value} type="button" onClick={() => label(v.value)} className={`rounded-md border px-2 py-2 text-sm font-medium ${v.style}`} aria-keyshortcuts={v.key}>
                    {v.label} <Kbd>{v.key}</Kbd>
                  </button>
                ))}
              </div>
              <label className="mt-3 block">
                <span className="text-xs font-medium text-slate-500">
                  Note <Kbd>E</Kbd> <span className="font-normal">saved with the label</span>
                </span>
                <textarea ref={note} value={current.note} onChange={(e) => update(current.responseId, { note: e.target.value })} rows={2} maxLength={2000} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
              </label>
              <div className="mt-2 flex flex-wrap gap-2 text-sm">
                <button type="button" onClick={skipCurrent} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
                  Skip <Kbd>S</Kbd>
                </button>
                <button type="button" onClick={() => setIndex((i) => Math.max(i - 1, 0))} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
                  ← Previous <Kbd>K</Kbd>
                </button>
                <button type="button" onClick={() => setIndex((i) => Math.min(i + 1, entries.length))} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
                  Next <Kbd>J</Kbd> →
                </button>
                <button type="button" onClick={undoLast} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
                  Undo <Kbd>Z</Kbd>
                </button>
              </div>
            </div>
            <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Judges</h2>
              <JudgesPanel judgments={blind && !current.myLabel ? null : current.judgments} />
            </div>
          </aside>
        </div>
      ) : exhausted ? (
        <Finished queueId={queueId} labeled={myDone} skipped={skipped + skippedNow} emptyAtStart={initialItems.length === 0 && myDone === 0} />
      ) : claim.isError ? (
        <p role="alert" className="mt-6 rounded-md bg-red-50 px-4 py-3 text-red-800">
          Could not fetch more items: {claim.error.message}{" "}
          <button type="button" className="underline" onClick={() => claim.reset()}>
            Try again
          </button>
        </p>
      ) : (
        <p className="mt-10 text-center text-slate-500">Fetching the next items…</p>
      )}

      {/* Keyboard hints: for screens with a keyboard; a phone's would cover the item. */}
      <footer className="fixed inset-x-0 bottom-0 z-10 hidden border-t border-slate-200 bg-white/95 px-4 py-2 text-xs text-slate-600 sm:block" aria-label="Keyboard shortcuts">
        <div className="mx-auto flex max-w-[1600px] flex-wrap gap-x-4 gap-y-1">
          {SHORTCUTS.map(([keys, action]) => (
            <span key={keys}>
              <Kbd>{keys}</Kbd> {action}
            </span>
          ))}
        </div>
      </footer>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </main>
  );
}

function Finished({ queueId, labeled, skipped, emptyAtStart }: { queueId: number; labeled: number; skipped: number; emptyAtStart: boolean }) {
  const [pending, setPending] = useState(false);
  return (
    <div className="mt-10 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center" data-testid="review-finished">
      <h2 className="text-lg font-semibold">{emptyAtStart ? "Nothing to label here" : "You have finished this queue"}</h2>
      <p className="mt-2 text-slate-600">
        {emptyAtStart
          ? "Every item is labeled by enough experts or held by another expert right now."
          : `You labeled ${labeled} ${labeled === 1 ? "item" : "items"}. Thank you.`}
      </p>
      <div className="mt-4 flex justify-center gap-4">
        <Link href={`/review/${queueId}`} className="text-blue-700 hover:underline">
          Back to the queue
        </Link>
        {skipped > 0 && (
          <button
            type="button"
            disabled={pending}
            className="text-blue-700 hover:underline disabled:opacity-50"
            onClick={async () => {
              setPending(true);
              await unskipQueueItemsAction(queueId);
              window.location.reload();
            }}
          >
            Review the {skipped} skipped {skipped === 1 ? "item" : "items"}
          </button>
        )}
      </div>
    </div>
  );
}
