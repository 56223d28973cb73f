"use client";

import { ACCOUNT_DISABLED } from "@/lib/auth/sign-in-errors";
import { useState, type FormEvent } from "react";
import { createAuthClient } from "better-auth/react";

const authClient = createAuthClient();

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error } = await authClient.signIn.email({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    if (error) {
      setPending(false);
      setError(
        error.status === 429
          ? "Too many sign-in attempts. Wait a minute, then try again."
          : error.status === 401 || error.status === 400
            ? "Wrong email or password."
            : error.code === ACCOUNT_DISABLED && error.message
              ? error.message
              : error.status >= 500
                ? "The studio could not sign you in: its database may be out of reach. Try again in a moment."
                : "Could not sign in. Try again.",
      );
      return;
    }
    // A full navigation, so every server component renders for the signed-in user.
    window.location.assign(next);
  }

  return (
    // method="post": submitted before the page's script has loaded, the browser would otherwise
    // put the email and password into the URL (history, server and proxy logs).
    <form method="post" onSubmit={onSubmit} className="mt-8 space-y-4" aria-label="Sign in">
      <div>
        <label htmlFor="email" className="block font-medium">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2"
        />
      </div>
      <div>
        <label htmlFor="password" className="block font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2"
        />
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
