// What server actions return: data, or an expected error the UI can show. Unexpected errors are
// logged on the server and reach the browser as a generic message, never a stack trace.
import "server-only";
import { ZodError } from "zod";
import { DATABASE_DOWN_MESSAGE, isConnectionLost } from "@/lib/db/connection";
import { isRefusedValue, REFUSED_VALUE_MESSAGE } from "@/lib/db/values";
import { type ErrorCode, forLog, isAppError } from "@/lib/errors";

export type TActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode | "INTERNAL"; message: string; details?: unknown } };

export async function runAction<T>(fn: () => Promise<T>): Promise<TActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
    if (error instanceof ZodError) {
      return { ok: false, error: { code: "INVALID", message: error.issues.map((i) => i.message).join("; ") } };
    }
    if (isRefusedValue(error)) return { ok: false, error: { code: "INVALID", message: REFUSED_VALUE_MESSAGE } };
    if (isConnectionLost(error)) {
      console.error("[action] the database is out of reach:", error instanceof Error ? error.message : String(error));
      return { ok: false, error: { code: "UNAVAILABLE", message: DATABASE_DOWN_MESSAGE } };
    }
    // The stack only: an error object can carry the request it came from, headers and all.
    console.error("[action] unexpected error", forLog(error));
    return { ok: false, error: { code: "INTERNAL", message: "Something went wrong. Try again." } };
  }
}
