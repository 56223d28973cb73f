// A form's last row: its submit button, which says what is happening while the action runs, and
// the outcome (a status when it worked, an alert when it did not).
export function SubmitRow({ pending, label, pendingLabel, message }: { pending: boolean; label: string; pendingLabel: string; message: { ok: boolean; text: string } | null }) {
  return (
    <div className="col-span-2 flex items-center gap-3">
      <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60">
        {pending ? pendingLabel : label}
      </button>
      {message && (
        <p role={message.ok ? "status" : "alert"} className={message.ok ? "text-emerald-700" : "text-red-700"}>
          {message.text}
        </p>
      )}
    </div>
  );
}
