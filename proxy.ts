// An optimistic check before rendering: visitors without a session cookie are sent to the
// sign-in form. It only looks at the cookie; every page, action and route still checks the
// session and role itself (lib/auth/session.ts).
import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";

export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const url = new URL("/login", request.url);
  const path = request.nextUrl.pathname + request.nextUrl.search;
  if (path !== "/") url.searchParams.set("next", path);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but the sign-in page, auth and REST endpoints (they answer 401 JSON) and assets.
  matcher: ["/((?!login|api/|_next/|favicon.ico|robots.txt).*)"],
};
