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
      <a href="#content" className="sr-only z-50 rounded bg-white px-3 py-2 text-blue-700 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:ring-2 focus:ring-blue-600">
        Skip to content
      </a>
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-3 px-4 md:gap-6">
          <Link href="/datasets" className="shrink-0 font-semibold">
            RLVR Studio
          </Link>
          {/* On a narrow screen the menu scrolls sideways within the bar, not the page, and its right
              edge fades so that it shows there is more. */}
          <nav
            aria-label="Main"
            className="flex min-w-0 items-center gap-1 overflow-x-auto pr-6 whitespace-nowrap [mask-image:linear-gradient(to_right,black_calc(100%-2rem),transparent)] lg:pr-0 lg:[mask-image:none]"
          >
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
            {hasRole(user.role, "admin") && <NavLink href="/admin/audit">Audit</NavLink>}
          </nav>
          <div className="ml-auto flex shrink-0 items-center gap-3">
            <span className="hidden text-slate-700 md:inline" data-testid="current-user">
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
      <div id="content" tabIndex={-1} className="mx-auto max-w-[1600px] px-4 py-6">
        {children}
      </div>
    </Providers>
  );
}
