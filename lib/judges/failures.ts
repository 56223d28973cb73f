// What went wrong with a call to an endpoint, whether trying again can help, and how long to
// wait first (exponential backoff with full jitter, or the server's Retry-After).
export const ERROR_KINDS = [
  "rate_limited", // 429
  "server_error", // 5xx
  "timeout", // no reply within the judge's timeout (or 408)
  "connection", // refused, reset, dropped mid-reply
  "malformed_response", // a body that is not the API's JSON
  "empty_choices", // a reply with no choice
  "auth", // 401, 403: the key is wrong or missing
  "not_found", // 404, 405, 410 or a redirect: no such path or model there (a wrong URL or model name)
  "http_error", // another 4xx (a bad request, a prompt too long for the model's context)
  "config", // the judge cannot be called as configured (missing key variable)
] as const;
export type TErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Failures that say nothing about the item: the judge cannot be called as configured (a refused
 * key, a missing key variable), or the endpoint is not answering anyone (refused connections,
 * timeouts, 5xx or 429 on every retry). A run stops on ten of them in a row (lib/runs/process-chunk.ts).
 * The endpoint kinds stop it only while the endpoint has answered none of the run's items: that
 * includes a wrong URL or model name (404, a redirect to a sign-in page: not_found) and a URL
 * that is not an inference server (an HTML page: malformed_response; no choices), which every
 * item would fail the same way. Other 4xx (http_error) are not counted: a 400 for a prompt too
 * long for the model's context is one item's, and comes back before the first verdict does.
 */
export const JUDGE_FAILURE_KINDS: ReadonlySet<string> = new Set<TErrorKind>(["auth", "config"]);
export const ENDPOINT_FAILURE_KINDS: ReadonlySet<string> = new Set<TErrorKind>([
  "connection",
  "timeout",
  "server_error",
  "rate_limited",
  "not_found",
  "malformed_response",
  "empty_choices",
]);

export const ERROR_KIND_LABEL: Record<TErrorKind | "unparseable", string> = {
  rate_limited: "Rate limited (429)",
  server_error: "Server error (5xx)",
  timeout: "Timed out",
  connection: "Connection failed or dropped",
  malformed_response: "Malformed reply",
  empty_choices: "Reply without choices",
  auth: "Not authorised (401/403)",
  not_found: "Not found or redirected (wrong URL or model?)",
  http_error: "Refused (4xx)",
  config: "Judge not configured",
  unparseable: "Unparseable verdict",
};

export type TCallFailure = { kind: TErrorKind; message: string; retryable: boolean; retryAfterMs: number | null; status?: number };

export function failureForStatus(status: number, detail: string, retryAfter: string | null, now = Date.now()): TCallFailure {
  const message = `HTTP ${status}${detail ? `: ${detail}` : ""}`;
  const after = parseRetryAfter(retryAfter, now);
  if (status === 429) return { kind: "rate_limited", message, retryable: true, retryAfterMs: after, status };
  if (status === 408) return { kind: "timeout", message, retryable: true, retryAfterMs: after, status };
  if (status === 401 || status === 403) return { kind: "auth", message, retryable: false, retryAfterMs: null, status };
  // 501 Not Implemented and 505 will not change on a retry; other 5xx are the server's trouble.
  if (status >= 500 && status !== 501 && status !== 505) return { kind: "server_error", message, retryable: true, retryAfterMs: after, status };
  if (status === 404 || status === 405 || status === 410 || (status >= 300 && status < 400)) return { kind: "not_found", message, retryable: false, retryAfterMs: null, status };
  return { kind: "http_error", message, retryable: false, retryAfterMs: null, status };
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base * 2^attempt)]. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/** How long to wait before retry number `attempt` (0 for the first retry). A Retry-After is honoured, up to 5 minutes. */
export function retryDelay(failure: TCallFailure, attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  if (failure.retryAfterMs !== null) return Math.min(failure.retryAfterMs, 300_000);
  return backoffDelay(attempt, baseMs, capMs, random);
}

/** A thrown request error as a failure: timeouts, refused or dropped connections (Node's `code`, or fetch's `cause.code`). */
export function failureForThrown(error: unknown, timeoutMs: number): TCallFailure {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return { kind: "timeout", message: `no reply within ${timeoutMs} ms`, retryable: true, retryAfterMs: null };
  // The same endpoint would send it again: not retried.
  if (e?.name === "ReplyTooLarge") return { kind: "malformed_response", message: e.message ?? "the reply is too large", retryable: false, retryAfterMs: null };
  const code = e?.code ?? e?.cause?.code ?? "";
  const detail = [code, e?.cause?.message ?? e?.message].filter(Boolean).join(": ");
  return { kind: "connection", message: `connection failed (${detail || "unknown"})`, retryable: true, retryAfterMs: null };
}

/** The message of an error body: vLLM/OpenAI `{ error: { message } }`, older vLLM `{ message }`, TGI `{ error: "..." }`. */
export function errorBodyMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.error === "string") return body.error.slice(0, 300);
    if (body.error && typeof (body.error as { message?: unknown }).message === "string") return String((body.error as { message: string }).message).slice(0, 300);
    if (typeof body.message === "string") return body.message.slice(0, 300);
  } catch {
    // not JSON: the text itself
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}
