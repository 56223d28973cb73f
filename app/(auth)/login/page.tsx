import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { isConnectionLost } from "@/lib/db/connection";
import { env } from "@/lib/env";
import { localPath } from "@/lib/http/local-path";
import { DEMO_USERS } from "@/lib/setup/demo-users";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Only same-site paths are followed after sign-in (no open redirect).
  const next = localPath((await searchParams).next, "/datasets");
  // With the database out of reach the form still shows (and says so when a sign-in fails).
  const user = await getCurrentUser().catch((error: unknown) => {
    if (isConnectionLost(error)) return null;
    throw error;
  });
  if (user) redirect(next);
  const demo = env().STUDIO_DEMO;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      <h1 className="text-2xl font-semibold">RLVR Studio</h1>
      <p className="mt-1 text-slate-600">Reference-based verifier judgments, agreement and expert labels.</p>
      <LoginForm next={next} />
      {demo && (
        <section aria-labelledby="demo-accounts" className="mt-8 rounded-lg border border-amber-300 bg-amber-50 p-4">
          <h2 id="demo-accounts" className="font-semibold text-amber-900">
            Demo accounts
          </h2>
          <p className="mt-1 text-amber-900">This studio runs in demo mode. Sign in as any role:</p>
          <table className="mt-3 w-full text-left">
            <thead className="text-xs text-amber-900 uppercase">
              <tr>
                <th className="py-1 pr-3 font-medium">Role</th>
                <th className="py-1 pr-3 font-medium">Email</th>
                <th className="py-1 font-medium">Password</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs">
              {DEMO_USERS.map((u) => (
                <tr key={u.role}>
                  <td className="py-1 pr-3 font-sans">{u.role}</td>
                  <td className="py-1 pr-3">{u.email}</td>
                  <td className="py-1">{u.password}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
