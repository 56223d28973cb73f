// Who is calling, and may they? Every page, server action and route handler goes through one of
// the three guards below. Sessions are read from the database on each request (no cookie
// cache), so a role change or a sign-out elsewhere takes effect at once.
import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { isConnectionLost } from "@/lib/db/connection";
import { AppError } from "@/lib/errors";
import { localPath, PATH_HEADER } from "@/lib/http/local-path";
import { auth } from "./auth";
import { hasRole, isRole, type TRole } from "./roles";

export type TCurrentUser = { id: string; name: string; email: string; role: TRole };

export const getCurrentUser = cache(async (): Promise<TCurrentUser | null> => {
  // headers() first: it marks the page dynamic, so `next build` never renders it without a request.
  const requestHeaders = await headers();
  const session = await auth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const { id, name, email, role, disabledAt } = session.user as typeof session.user & { role?: unknown; disabledAt?: unknown };
  // Disabling ends the sessions too (lib/users/access.ts); this covers one made in the same instant.
  if (!isRole(role) || disabledAt) return null;
  return { id, name, email, role };
});

/**
 * Pages: anonymous visitors go to the sign-in form, users below `required` get the 403 page; when
 * the database is out of reach, the page saying so (rather than a bare server error).
 */
export async function requirePageRole(required: TRole): Promise<TCurrentUser> {
  let user: TCurrentUser | null;
  try {
    user = await getCurrentUser();
  } catch (error) {
    if (isConnectionLost(error)) {
      // Back to this page once the database answers again (the path as proxy.ts saw it).
      const path = localPath((await headers()).get(PATH_HEADER), "/datasets");
      redirect(`/unavailable?next=${encodeURIComponent(path)}`);
    }
    throw error;
  }
  if (!user) redirect("/login");
  if (!hasRole(user.role, required)) forbidden();
  return user;
}

/** Server actions and route handlers: throws AppError (401 / 403). */
export async function requireRole(required: TRole): Promise<TCurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in first.");
  if (!hasRole(user.role, required)) throw new AppError("FORBIDDEN", `This needs the ${required} role or above.`);
  return user;
}
