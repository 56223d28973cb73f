// The review screen's keyboard shortcuts: one list, shown in the help overlay (?) and the footer.
import { useLayoutEffect, useRef } from "react";

export const SHORTCUTS: [keys: string, action: string][] = [
  ["Y", "correct"],
  ["N", "incorrect"],
  ["U", "unsure"],
  ["S", "skip"],
  ["J / →", "next item"],
  ["K / ←", "previous item"],
  ["Z", "undo the last label"],
  ["E", "write a note (Esc to leave it)"],
  ["?", "this help"],
];

export function Kbd({ children }: { children: React.ReactNode }) {
  return <kbd className="rounded border border-slate-300 bg-white px-1.5 py-0.5 font-mono text-xs text-slate-700 shadow-sm">{children}</kbd>;
}

/** A modal dialog (the browser's own): the focus goes into it and stays there until it closes, then returns. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  // A layout effect: its cleanup closes the dialog while it is still in the page, so that the
  // browser gives the focus back to where it was.
  useLayoutEffect(() => {
    const d = dialog.current;
    d?.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      aria-label="Keyboard shortcuts"
      className="m-auto w-80 rounded-lg bg-white p-5 shadow-xl backdrop:bg-slate-900/30"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // A click on the backdrop (outside the box, not on its padding) closes it.
      onClick={(event) => {
        const box = dialog.current?.getBoundingClientRect();
        if (box && (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom)) onClose();
      }}
    >
      <h2 className="mb-3 font-semibold">Keyboard shortcuts</h2>
      <dl className="space-y-1.5 text-sm">
        {SHORTCUTS.map(([keys, action]) => (
          <div key={keys} className="flex justify-between gap-4">
            <dt>
              <Kbd>{keys}</Kbd>
            </dt>
            <dd className="text-slate-600">{action}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 flex items-center justify-between">
        <p className="text-xs text-slate-500">Esc or ? closes this.</p>
        <button type="button" onClick={onClose} className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50">
          Close
        </button>
      </div>
    </dialog>
  );
}
