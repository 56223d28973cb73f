// Route handlers of the REST surface: one wrapper that authenticates the caller (a signed-in
// session, or an API token: `Authorization: Bearer rlvr_...`; a session's changes only from the
// studio's own origin, ./origin.ts), checks the route's role (sessions)
// or scope (tokens), turns AppError and zod failures into JSON errors ({ error: { code, message } })
// and hides unexpected ones.
import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { requireRole, type TCurrentUser } from "@/lib/auth/session";
import { hasRole, type TRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { DATABASE_DOWN_MESSAGE, isConnectionLost } from "@/lib/db/connection";
import { isRefusedValue, REFUSED_VALUE_MESSAGE } from "@/lib/db/values";
import { AppError, forLog, isAppError } from "@/lib/errors";
import type { TScope } from "@/lib/tokens/scopes";
import { authenticateToken, type TTokenPrincipal } from "@/lib/tokens/tokens";
import { isCrossOrigin } from "./origin";
import { zodMessage } from "./zod-message";

export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
    return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers });
  }
  if (error instanceof ZodError) {
    const message = zodMessage(error);
    return NextResponse.json({ error: { code: "INVALID", message } }, { status: 422 });
  }
  if (isRefusedValue(error)) return NextResponse.json({ error: { code: "INVALID", message: REFUSED_VALUE_MESSAGE } }, { status: 422 });
  if (isConnectionLost(error)) {
    console.error("[api] the database is out of reach:", error instanceof Error ? error.message : String(error));
    return NextResponse.json({ error: { code: "UNAVAILABLE", message: DATABASE_DOWN_MESSAGE } }, { status: 503, headers: { "retry-after": "5" } });
  }
  // The stack only: an error object can carry the request it came from, headers and all.
  console.error("[api] unexpected error", forLog(error));
  return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong." } }, { status: 500 });
}

/**
 * Who may call a route: a session needs `role`; a token needs `scope` (and its creator must still
 * hold `role`). `scope: null` admits sessions only. `queryToken` also reads the token from
 * `?token=`, for trainers that cannot send headers (the reward endpoint only).
 */
export type TAccess = { role: TRole; scope: TScope | null; queryToken?: boolean };

export type TCaller = { user: TCurrentUser; token: TTokenPrincipal | null };

type Handler<C> = (request: Request, context: C & TCaller) => Promise<Response>;

function bearer(request: Request, access: TAccess): string | null {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError("UNAUTHENTICATED", "The Authorization header must be 'Bearer <token>'.");
    return match[1]!;
  }
  return access.queryToken ? new URL(request.url).searchParams.get("token") : null;
}

async function authenticate(request: Request, access: TAccess): Promise<TCaller> {
  const token = bearer(request, access);
  if (token === null) {
    if (isCrossOrigin(request)) throw new AppError("FORBIDDEN", "This request came from a page of another origin; the studio takes changes from its own pages, or from API tokens.");
    return { user: await requireRole(access.role), token: null };
  }
  const principal = await authenticateToken(db(), token);
  if (access.scope === null) throw new AppError("FORBIDDEN", "This route takes a signed-in session, not an API token.");
  if (!principal.scopes.includes(access.scope)) throw new AppError("FORBIDDEN", `This token lacks the "${access.scope}" scope.`);
  if (!hasRole(principal.user.role, access.role)) throw new AppError("FORBIDDEN", `The token's creator no longer has the ${access.role} role.`);
  return { user: principal.user, token: principal };
}

/** Wraps a handler: the caller must pass `access`; errors become JSON. */
export function guarded<C extends object>(access: TAccess, handler: Handler<C>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const caller = await authenticate(request, access);
      return await handler(request, { ...context, ...caller });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
