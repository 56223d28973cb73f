// A signed-in browser sends its session cookie with any request to the studio, also one a page
// of another origin makes it send (a form posted from another port of the same host, or from a
// sibling subdomain, is "same-site", so SameSite=Lax lets the cookie through). Server actions
// are checked for this by Next.js; the REST routes check it here: a request that changes
// something with a session must come from the studio's own origin. Browsers send `Origin` with
// every such request; clients that are not browsers send none and use API tokens anyway.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request that authenticates with the session cookie comes from another origin than the studio's own. */
export function isCrossOrigin(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const origin = request.headers.get("origin");
  if (origin === null) return request.headers.get("sec-fetch-site") === "cross-site";
  // The host the browser asked for: behind a proxy, the one it forwards (as Next.js checks server actions).
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host") || new URL(request.url).host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" (a sandboxed frame, a file) or garbage
  }
}
