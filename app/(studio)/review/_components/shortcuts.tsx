// The review screen's keyboard shortcuts: one list, shown in the help overlay (?) and the footer.
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

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-slate-900/30" onClick={onClose}>
      <div role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" className="w-80 rounded-lg bg-white p-5 shadow-xl" onClick={(e) => e.stopPropagation()}>
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
        <p className="mt-4 text-xs text-slate-500">Esc or ? closes this.</p>
      </div>
    </div>
  );
}
