// Route handlers of the REST surface: one wrapper that checks the role, turns AppError and zod
// failures into JSON errors ({ error: { code, message } }) and hides unexpected ones.
import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { requireRole, type TCurrentUser } from "@/lib/auth/session";
import type { TRole } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";

export function errorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }
  if (error instanceof ZodError) {
    const message = error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    return NextResponse.json({ error: { code: "INVALID", message } }, { status: 422 });
  }
  console.error("[api] unexpected error", error);
  return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong." } }, { status: 500 });
}

type Handler<C> = (request: Request, context: C & { user: TCurrentUser }) => Promise<Response>;

/** Wraps a handler: the caller must have `role`; errors become JSON. */
export function guarded<C extends object>(role: TRole, handler: Handler<C>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const user = await requireRole(role);
      return await handler(request, { ...context, user });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
