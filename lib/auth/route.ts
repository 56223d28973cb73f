// The sign-in library's endpoints as the studio exposes them, with the bounds the library does
// not set itself:
// - only the endpoints the studio uses answer (sign in, sign out, the session); the rest of the
//   library's surface (changing one's own name or email, deleting oneself, password resets) is
//   not the studio's: users and roles are the admins' (lib/users). A viewer could otherwise
//   rename themselves "Demo admin", and be credited under that name in every label history.
// - a request body is at most AUTH_BODY_MAX_BYTES, refused as it streams in: the library reads
//   whole bodies before anything else, so an anonymous caller could make the server hold
//   hundreds of megabytes.
// - password checks run SIGN_INS_AT_ONCE at a time, with at most SIGN_INS_WAITING waiting. Each
//   costs a hash by design; the per-IP limit trusts X-Forwarded-For, which a client talking to
//   the studio directly sets at will, so a flood of sign-ins could take the CPU from every other
//   request. The per-account limit (./signin-throttle.ts) caps the guesses on one account.
import "server-only";
import pLimit from "p-limit";
import { toNextJsHandler } from "better-auth/next-js";
import { AppError } from "@/lib/errors";
import { readBodyBytes } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/route";
import { auth } from "./auth";

export const AUTH_BASE_PATH = "/api/auth";
/** Method and path (under AUTH_BASE_PATH) of every endpoint the studio uses. */
export const AUTH_ENDPOINTS = new Set(["POST /sign-in/email", "POST /sign-out", "GET /get-session"]);
export const AUTH_BODY_MAX_BYTES = 64 * 1024;
export const SIGN_INS_AT_ONCE = 2;
export const SIGN_INS_WAITING = 64;

const signIns = pLimit(SIGN_INS_AT_ONCE);

export async function authRoute(request: Request, method: "GET" | "POST"): Promise<Response> {
  try {
    const path = new URL(request.url).pathname.slice(AUTH_BASE_PATH.length).replace(/\/+$/, "");
    if (!AUTH_ENDPOINTS.has(`${method} ${path}`)) throw new AppError("NOT_FOUND", "No such endpoint.");
    const handler = toNextJsHandler(auth())[method];
    if (method === "GET") return await handler(request);
    const body = await readBodyBytes(request, AUTH_BODY_MAX_BYTES);
    // No body sent, none passed on: an empty one is not valid JSON to the library.
    const bounded = new Request(request.url, { method, headers: request.headers, body: body.length > 0 ? new Uint8Array(body) : null });
    if (path !== "/sign-in/email") return await handler(bounded);
    if (signIns.pendingCount >= SIGN_INS_WAITING) {
      throw new AppError("RATE_LIMITED", "Too many sign-ins at once. Try again in a few seconds.", { retryAfterSeconds: 5 });
    }
    return await signIns(() => handler(bounded));
  } catch (error) {
    return errorResponse(error);
  }
}
