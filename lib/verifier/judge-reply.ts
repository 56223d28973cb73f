// Reading an OpenAI-compatible reply body: the text, token usage and the generated positions'
// log-probabilities, from either API and every server's variant of them:
//  - chat (`/v1/chat/completions`): `choices[0].message.content`, log-probabilities in
//    `choices[0].logprobs.content[i] = { token, logprob, bytes?, top_logprobs: [{ token, logprob }] }`
//    (OpenAI, vLLM, SGLang, TGI; llama.cpp adds `id`, and with `post_sampling_probs` sends
//    `prob` / `top_probs` instead of log-probabilities);
//  - completions (`/v1/completions`): `choices[0].text`, log-probabilities either the legacy
//    `choices[0].logprobs = { tokens, token_logprobs, top_logprobs: [{ token: logprob }] }`
//    (OpenAI, vLLM, SGLang) or the chat-style `logprobs.content` list (llama.cpp).
// Fixtures from each server's documented format are in ./fixtures (judge-reply.test.ts).
import type { TPosition, TTokenLogprob } from "./logprobs";

export type TApi = "chat" | "completions";

export type TJudgeReply = {
  /** the generated text (chat: the message content; completions: the text) */
  text: string;
  /** a reasoning model's separate reasoning text, when the server splits it off */
  reasoning: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** null when the server sent no log-probabilities */
  positions: TPosition[] | null;
};

export type TReplyProblem = { kind: "empty_choices" | "malformed_response"; message: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** A log-probability from an entry that has `logprob`, or `prob` (llama.cpp post-sampling). */
function entryLogprob(entry: Json): number | null {
  if (typeof entry.logprob === "number") return entry.logprob;
  if (typeof entry.prob === "number") return entry.prob > 0 ? Math.log(entry.prob) : -Infinity;
  return null;
}

function topEntries(list: unknown): TTokenLogprob[] {
  if (!Array.isArray(list)) return [];
  const out: TTokenLogprob[] = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const token = str(item.token);
    const logprob = entryLogprob(item);
    if (token === null || logprob === null) continue;
    out.push(typeof item.id === "number" ? { token, logprob, id: item.id } : { token, logprob });
  }
  return out;
}

/** The chat-style list: `[{ token, logprob, top_logprobs }]` (or `prob` / `top_probs`). */
function contentPositions(content: unknown): TPosition[] | null {
  if (!Array.isArray(content) || content.length === 0) return null;
  return content.filter(isObject).map((item) => ({
    token: str(item.token),
    logprob: entryLogprob(item),
    top: topEntries(item.top_logprobs ?? item.top_probs),
  }));
}

/** The legacy completions shape: parallel `tokens`, `token_logprobs`, `top_logprobs` (maps). */
function legacyPositions(logprobs: Json): TPosition[] | null {
  const tops = Array.isArray(logprobs.top_logprobs) ? logprobs.top_logprobs : [];
  const tokens = Array.isArray(logprobs.tokens) ? logprobs.tokens : [];
  const values = Array.isArray(logprobs.token_logprobs) ? logprobs.token_logprobs : [];
  const n = Math.max(tops.length, tokens.length);
  if (n === 0) return null;
  const positions: TPosition[] = [];
  for (let i = 0; i < n; i++) {
    const map = tops[i];
    const top: TTokenLogprob[] = isObject(map)
      ? Object.entries(map).flatMap(([token, lp]) => (typeof lp === "number" ? [{ token, logprob: lp }] : []))
      : [];
    positions.push({ token: str(tokens[i]), logprob: num(values[i]), top });
  }
  return positions;
}

function readPositions(logprobs: unknown): TPosition[] | null {
  if (!isObject(logprobs)) return null;
  if ("content" in logprobs) return contentPositions(logprobs.content);
  return legacyPositions(logprobs);
}

function firstChoice(body: unknown): { choice: Json; body: Json } | TReplyProblem {
  if (!isObject(body)) return { kind: "malformed_response", message: "the reply is not a JSON object" };
  if (!Array.isArray(body.choices)) return { kind: "malformed_response", message: "the reply has no `choices` list" };
  const choice = body.choices[0];
  if (choice === undefined) return { kind: "empty_choices", message: "the reply's `choices` list is empty" };
  if (!isObject(choice)) return { kind: "malformed_response", message: "`choices[0]` is not an object" };
  return { choice, body };
}

function usage(body: Json) {
  const u = isObject(body.usage) ? body.usage : {};
  return { promptTokens: num(u.prompt_tokens), completionTokens: num(u.completion_tokens) };
}

/** Reads a reply of `api`; a problem when the body is not a usable reply. */
export function readReply(api: TApi, body: unknown): TJudgeReply | TReplyProblem {
  const found = firstChoice(body);
  if ("kind" in found) return found;
  const { choice } = found;
  let text: string | null;
  let reasoning: string | null = null;
  if (api === "chat") {
    if (!isObject(choice.message)) return { kind: "malformed_response", message: "`choices[0].message` is missing" };
    text = choice.message.content === null ? "" : str(choice.message.content);
    reasoning = str(choice.message.reasoning_content) ?? str(choice.message.reasoning);
  } else {
    text = str(choice.text);
  }
  if (text === null) return { kind: "malformed_response", message: `the reply has no ${api === "chat" ? "message content" : "text"}` };
  return {
    text,
    reasoning,
    finishReason: str(choice.finish_reason),
    ...usage(found.body),
    positions: readPositions(choice.logprobs),
  };
}

export const isReplyProblem = (r: TJudgeReply | TReplyProblem): r is TReplyProblem => "kind" in r;
