import type { ReactNode } from "react";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { signOutAction } from "@/lib/auth/actions";
import { hasRole, ROLE_LABEL } from "@/lib/auth/roles";
import { Providers } from "../providers";
import { NavLink } from "./nav-link";

export default async function StudioLayout({ children }: { children: ReactNode }) {
  const user = await requirePageRole("viewer");
  return (
    <Providers>
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-6 px-4">
          <Link href="/datasets" className="font-semibold">
            RLVR Studio
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <NavLink href="/datasets">Datasets</NavLink>
            <NavLink href="/judgments">Judgments</NavLink>
            <NavLink href="/analytics">Analytics</NavLink>
            <NavLink href="/judges">Judges</NavLink>
            <NavLink href="/runs">Runs</NavLink>
            <NavLink href="/review">Review</NavLink>
            {hasRole(user.role, "researcher") && <NavLink href="/imports">Imports</NavLink>}
            {hasRole(user.role, "researcher") && <NavLink href="/exports">Exports</NavLink>}
            {hasRole(user.role, "admin") && <NavLink href="/admin/users">Users</NavLink>}
            {hasRole(user.role, "admin") && <NavLink href="/admin/tokens">Tokens</NavLink>}
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <span className="text-slate-700" data-testid="current-user">
              {user.name}
              <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" data-testid="current-role">
                {ROLE_LABEL[user.role]}
              </span>
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <div className="mx-auto max-w-[1600px] px-4 py-6">{children}</div>
    </Providers>
  );
}
