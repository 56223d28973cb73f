"use client";
// A user's role: picked in the list, then saved with the button beside it. Saving on the list's
// change event would save on a single arrow key (a closed select changes its value on one), and
// promote or demote somebody while the admin was only looking through the roles.
import { useState, useTransition } from "react";
import { ROLES, ROLE_LABEL, type TRole } from "@/lib/auth/roles";
import { setUserRoleAction } from "@/lib/users/actions";

export function RoleSelect({ userId, role, label, isSelf }: { userId: string; role: TRole; label: string; isSelf: boolean }) {
  const [current, setCurrent] = useState<TRole>(role);
  const [choice, setChoice] = useState<TRole>(role);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<TRole | null>(null);
  const [pending, startTransition] = useTransition();
  const changed = choice !== current;

  function save() {
    // Giving up one's own admin role also closes this page: asked first.
    if (isSelf && current === "admin" && choice !== "admin" && !window.confirm(`Make yourself ${ROLE_LABEL[choice].toLowerCase()}? You will no longer manage users and tokens; another admin would have to give the role back.`)) {
      return;
    }
    const next = choice;
    setSaved(null);
    startTransition(async () => {
      const result = await setUserRoleAction({ userId, role: next });
      if (result.ok) {
        setError(null);
        setCurrent(next);
        setSaved(next);
      } else {
        setError(result.error.message);
      }
    });
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <select
        aria-label={label}
        value={choice}
        aria-busy={pending}
        onChange={(event) => {
          setChoice(event.target.value as TRole);
          setSaved(null);
          setError(null);
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}
          </option>
        ))}
      </select>
      {changed && (
        <>
          <button type="button" onClick={save} disabled={pending} className="rounded-md bg-slate-900 px-2 py-1 text-xs font-medium text-white disabled:opacity-50">
            {pending ? "Saving…" : "Save role"}
          </button>
          <button type="button" onClick={() => setChoice(current)} disabled={pending} className="text-xs text-slate-600 underline">
            Keep {ROLE_LABEL[current].toLowerCase()}
          </button>
        </>
      )}
      {isSelf && <span className="text-xs text-slate-500">you</span>}
      {saved && !error && !changed && (
        <span role="status" className="text-xs text-emerald-700">
          saved: now {ROLE_LABEL[saved].toLowerCase()}
        </span>
      )}
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
