"use client";

import { useRef, useState, useTransition } from "react";
import { ROLES, ROLE_LABEL, type TRole } from "@/lib/auth/roles";
import { createUserAction } from "@/lib/users/actions";
import { SubmitRow } from "@/components/ui/submit-row";

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5";

export function NewUserForm({ minPasswordLength }: { minPasswordLength: number }) {
  const form = useRef<HTMLFormElement>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <form
      ref={form}
      aria-label="New user"
      className="mt-8 grid grid-cols-2 gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await createUserAction({
            name: String(data.get("name") ?? ""),
            email: String(data.get("email") ?? ""),
            password: String(data.get("password") ?? ""),
            role: String(data.get("role") ?? "viewer") as TRole,
          });
          if (result.ok) {
            setMessage({ ok: true, text: `Created ${result.data.email}. Give them their password in person or over a safe channel.` });
            form.current?.reset();
          } else setMessage({ ok: false, text: result.error.message });
        });
      }}
    >
      <h2 className="col-span-2 font-semibold">New user</h2>
      <label>
        <span className="text-xs font-medium text-slate-500">Name</span>
        <input name="name" required maxLength={100} className={input} />
      </label>
      <label>
        <span className="text-xs font-medium text-slate-500">Email</span>
        <input name="email" type="email" required className={input} />
      </label>
      <label>
        <span className="text-xs font-medium text-slate-500">Password (at least {minPasswordLength} characters)</span>
        <input name="password" type="password" required minLength={minPasswordLength} autoComplete="new-password" className={input} />
      </label>
      <label>
        <span className="text-xs font-medium text-slate-500">Role</span>
        <select name="role" defaultValue="viewer" className={input}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      <SubmitRow pending={pending} label="Create user" pendingLabel="Creating…" message={message} />
    </form>
  );
}
