// An optimistic check before rendering: visitors without a session cookie are sent to the
// sign-in form. It only looks at the cookie; every page, action and route still checks the
// session and role itself (lib/auth/session.ts).
import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { PATH_HEADER } from "@/lib/http/local-path";
import { DATASET_COOKIE } from "@/lib/datasets/dataset-cookie";

// The dataset a page was asked for, remembered for the pages opened without one (lib/datasets/preferred.ts).
const askedDataset = (request: NextRequest) =>
  request.nextUrl.searchParams.get("dataset") ?? /^\/datasets\/(\d+)/.exec(request.nextUrl.pathname)?.[1] ?? null;

export function proxy(request: NextRequest) {
  // The page saying the database is out of reach reads nothing and shows to anyone; it answers
  // 503 with Retry-After, so that a monitor or a proxy in front does not take it for a page served.
  if (request.nextUrl.pathname === "/unavailable") return NextResponse.next({ status: 503, headers: { "retry-after": "5" } });
  if (getSessionCookie(request)) {
    // The page asked for, for the page's own code (lib/auth/session.ts: where to come back to).
    const headers = new Headers(request.headers);
    headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
    const response = NextResponse.next({ request: { headers } });
    const dataset = askedDataset(request);
    if (dataset && /^\d{1,10}$/.test(dataset)) response.cookies.set(DATASET_COOKIE, dataset, { path: "/", httpOnly: true, sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
    return response;
  }
  const url = new URL("/login", request.url);
  const path = request.nextUrl.pathname + request.nextUrl.search;
  if (path !== "/") url.searchParams.set("next", path);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but the sign-in page, auth and REST endpoints (they answer 401 JSON) and assets.
  matcher: ["/((?!login|api/|_next/|favicon.ico|robots.txt).*)"],
};
