// Calling an OpenAI-compatible endpoint for one item: build the request, send it, read the reply,
// retry what can be retried (429 honouring Retry-After, 5xx, timeouts, dropped connections,
// malformed or empty replies) with exponential backoff and jitter, and turn the end result into
// a judgment: a verdict with probabilities, or the error of the last attempt.
// Plain HTTP (lib/judges/http.ts) rather than an SDK: the exact request body, the raw reply (for
// "Test judge") and the error classes are ours to control, and no SDK retries behind our back.
import { isReplyProblem, readReply, type TJudgeReply } from "@/lib/verifier/judge-reply";
import { judgeOutcome } from "@/lib/verifier/outcome";
import type { TFillInput } from "@/lib/verifier/template";
import { errorBodyMessage, failureForStatus, failureForThrown, retryDelay, type TCallFailure } from "./failures";
import type { TEndpointSettings } from "./settings";
import { buildPrompt, type TPrompt, type TTemplate } from "./templates";
import { DEFAULT_REPLY_LIMIT, postJson } from "./http";
import { storable, type TItemResult } from "./result";

export type TEndpointJudge = { settings: TEndpointSettings; template: TTemplate; apiKey: string | null };

/** A request and its reply as they went over the wire (credentials redacted), for "Test judge". */
export type THttpExchange = {
  request: { method: "POST"; url: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: string } | null;
};

/** Holds a unit of the endpoint's concurrency limit while a request is in flight. */
export type TPermits = { acquire: (signal?: AbortSignal) => Promise<void>; release: () => void };

const RAW_LIMIT = 64 * 1024;

export function requestFor(judge: TEndpointJudge, prompt: TPrompt) {
  const s = judge.settings;
  const url = `${s.baseUrl}/${s.api === "chat" ? "chat/completions" : "completions"}`;
  const logprobs =
    s.topLogprobs > 0 ? (s.api === "chat" ? { logprobs: true, top_logprobs: s.topLogprobs } : { logprobs: s.topLogprobs }) : {};
  const body = {
    model: s.model,
    ...(s.api === "chat" ? { messages: prompt.messages } : { prompt: prompt.prompt }),
    temperature: s.temperature,
    max_tokens: s.maxTokens,
    ...logprobs,
    stream: false,
    ...s.extraBody,
  };
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", ...s.headers };
  if (judge.apiKey) headers.authorization = `Bearer ${judge.apiKey}`;
  return { url, body, headers };
}

const redact = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k.toLowerCase() === "authorization" ? "Bearer ••••••" : v]));

/**
 * `text` without the judge's key. Some servers and proxies quote the request's Authorization
 * header in an error body or a header; what they send back reaches the "Test judge" panel and the
 * item's stored error, where people who may not know the key (a researcher testing an admin's
 * judge, every viewer) read it.
 */
export function withoutKey(text: string, apiKey: string | null): string {
  if (!apiKey || apiKey.length < 4) return text;
  // The key as sent, and as JSON may escape it ("\/" for "/", "\uXXXX"): the message stored is
  // read out of the reply's JSON, which would turn an escaped key back into the key.
  const escaped = JSON.stringify(apiKey).slice(1, -1);
  let out = text;
  for (const form of new Set([apiKey, escaped, escaped.replaceAll("/", "\\/")])) out = out.split(form).join("••••••");
  // A part of it quoted (its first characters and "..."): any run of 12 or more of its first characters.
  const head = apiKey.slice(0, Math.min(12, apiKey.length));
  if (apiKey.length >= 16) {
    for (let at = out.indexOf(head); at >= 0; at = out.indexOf(head, at + 1)) {
      let end = at + head.length;
      while (end < out.length && end - at < apiKey.length && out[end] === apiKey[end - at]) end++;
      out = `${out.slice(0, at)}••••••${out.slice(end)}`;
    }
  }
  return out;
}

/**
 * The largest reply taken from the endpoint: room for every generated token with its top
 * log-probabilities (a few hundred bytes each in JSON) beyond a megabyte, at least the default.
 */
export function replyLimit(settings: Pick<TEndpointSettings, "maxTokens" | "topLogprobs">): number {
  return Math.max(DEFAULT_REPLY_LIMIT, 1024 * 1024 + settings.maxTokens * (settings.topLogprobs + 1) * 256);
}

/** `tries`: requests that went out (2 when a stale keep-alive connection was replaced). */
type TAttempt = ({ ok: true; reply: TJudgeReply } | { ok: false; failure: TCallFailure }) & { latencyMs: number; http: THttpExchange; tries: number };

/**
 * One HTTP attempt. Never throws, except when `stop` aborts it. The concurrency permit is held
 * only while the request is out (building the body and reading the reply happen outside it).
 */
export async function attemptOnce(judge: TEndpointJudge, prompt: TPrompt, stop?: AbortSignal, permits?: TPermits, onSent?: () => () => void): Promise<TAttempt> {
  const { url, body, headers } = requestFor(judge, prompt);
  const http: THttpExchange = { request: { method: "POST", url, headers: redact(headers), body }, response: null };
  const payload = JSON.stringify(body);
  await permits?.acquire(stop);
  const back = onSent?.();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let status: number;
  let text: string;
  let tries: number;
  try {
    const res = await postJson(url, headers, payload, judge.settings.timeoutMs, stop, replyLimit(judge.settings)).finally(() => {
      permits?.release();
      back?.();
    });
    status = res.status;
    text = withoutKey(res.text, judge.apiKey);
    tries = res.tries;
    const replyHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, withoutKey(v, judge.apiKey)]));
    http.response = { status, headers: replyHeaders, body: text.slice(0, RAW_LIMIT) };
    if (status < 200 || status >= 300) return { ok: false, failure: failureForStatus(status, errorBodyMessage(text), res.headers["retry-after"] ?? null), latencyMs: elapsed(), http, tries };
  } catch (error) {
    if (stop?.aborted) throw stop.reason ?? error;
    return { ok: false, failure: failureForThrown(error, judge.settings.timeoutMs), latencyMs: elapsed(), http, tries: (error as { tries?: number }).tries ?? 1 };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const failure: TCallFailure = { kind: "malformed_response", message: `the reply is not JSON: ${text.slice(0, 120)}`, retryable: true, retryAfterMs: null, status };
    return { ok: false, failure, latencyMs: elapsed(), http, tries };
  }
  const reply = readReply(judge.settings.api, json);
  if (isReplyProblem(reply)) return { ok: false, failure: { kind: reply.kind, message: reply.message, retryable: true, retryAfterMs: null, status }, latencyMs: elapsed(), http, tries };
  return { ok: true, reply, latencyMs: elapsed(), http, tries };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export type TJudgeOptions = {
  stop?: AbortSignal;
  permits?: TPermits;
  random?: () => number;
  onHttp?: (exchange: THttpExchange) => void;
  /** Told when a call waits to be retried (the failure, its key masked, and the wait); the function it returns is called when the wait ends. */
  onRetry?: (failure: TCallFailure, waitMs: number) => () => void;
  /** Told when a request goes out (its concurrency permit held); the function it returns is called when it is back. */
  onSent?: () => () => void;
};

/**
 * Judges one item, retrying as the judge's settings say. A concurrency permit is held only while
 * a request is in flight, not while waiting to retry. Throws only when `stop` aborts (the item is
 * then left for later, not recorded).
 */
export async function judgeOnEndpoint(judge: TEndpointJudge, item: TFillInput & { responseId: number }, options: TJudgeOptions = {}): Promise<TItemResult> {
  const s = judge.settings;
  const prompt = buildPrompt(judge.template, item, s.api);
  // `attempts` counts requests sent; `retriesUsed` the judge's retries spent (a stale keep-alive
  // connection replaced on the spot is a request but not a retry).
  let attempts = 0;
  let retriesUsed = 0;
  for (;;) {
    const attempt = await attemptOnce(judge, prompt, options.stop, options.permits, options.onSent);
    attempts += attempt.tries;
    options.onHttp?.(attempt.http);
    if (attempt.ok) {
      const outcome = judgeOutcome(attempt.reply, s);
      return storable({
        responseId: item.responseId,
        verdict: outcome.verdict,
        pYes: outcome.pYes,
        pNo: outcome.pNo,
        softReward: outcome.softReward,
        rawOutput: withoutKey(attempt.reply.text, judge.apiKey),
        topLogprobs: outcome.topLogprobs,
        error: outcome.reason,
        errorKind: outcome.verdict === "UNPARSEABLE" ? "unparseable" : null,
        promptHash: prompt.hash,
        attempts,
        latencyMs: attempt.latencyMs,
        promptTokens: attempt.reply.promptTokens,
        completionTokens: attempt.reply.completionTokens,
      });
    }
    const { failure } = attempt;
    retriesUsed++;
    if (!failure.retryable || retriesUsed > s.retries) {
      // Masked again once read out of the reply: a key escaped in its JSON is plain text now.
      const message = withoutKey(failure.message, judge.apiKey);
      return failedItem(item.responseId, failure.kind, attempts > 1 ? `${message} (after ${attempts} attempts)` : message, { promptHash: prompt.hash, attempts, latencyMs: attempt.latencyMs });
    }
    const waitMs = retryDelay(failure, retriesUsed - 1, s.retryBaseMs, s.retryMaxMs, options.random);
    const waited = options.onRetry?.({ ...failure, message: withoutKey(failure.message, judge.apiKey) }, waitMs);
    try {
      await sleep(waitMs, options.stop);
    } finally {
      waited?.();
    }
  }
}

export function failedItem(responseId: number, kind: string, message: string, extra: Partial<TItemResult> = {}): TItemResult {
  return storable({
    responseId,
    verdict: null,
    pYes: null,
    pNo: null,
    softReward: null,
    rawOutput: null,
    topLogprobs: null,
    error: message,
    errorKind: kind,
    promptHash: null,
    attempts: 0,
    latencyMs: null,
    promptTokens: null,
    completionTokens: null,
    ...extra,
  });
}
