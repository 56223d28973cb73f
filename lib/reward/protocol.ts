// OpenRLHF's remote reward-model protocol, read strictly: a request is
//   {"query": [prompt + response, ...], "prompts": [prompt, ...], "labels": [reference, ...]}
// and the answer {"rewards": [...], "scores": [...], "extra_logs": {...}}. What the studio adds
// is optional: the judge and reward options, the training run and step, the policy model, and
// the plain question when the prompt is chat-templated beyond recognition.
// Every problem is reported with the field it is in ("labels[3]: ..."), so a trainer's log says
// what to fix.
import { parseRewardOptions, ProtocolError, type TRewardDefaults } from "./options";

// A GRPO step sends every sample of its prompts at once: 1,024 prompts x 16 samples is 16,384
// items, and larger steps are common. The bound is the body's (STUDIO_REWARD_MAX_BODY_MB) more
// than this; it keeps a list of empty strings from taking the server's memory.
export const MAX_BATCH = 65_536;
const MAX_TEXT = 1_000_000;
const MAX_NAME = 200;

export type TRewardItem = { prompt: string; question: string; response: string; reference: string };

export type TRewardRequest = {
  items: TRewardItem[];
  options: TRewardDefaults;
  run: string | null;
  step: number | null;
  model: string;
};

export { ProtocolError };

// End-of-turn and padding tokens a trainer leaves on decoded text (decoded without skipping
// special tokens): ChatML/Qwen, Llama 2/3, Mistral, Gemma, Phi, GPT-2 family.
const END_TOKENS = ["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "</s>", "<eos>", "<end_of_turn>", "<|end|>", "<pad>", "<|pad|>"];

function stripEndTokens(text: string): string {
  let out = text;
  for (;;) {
    const trimmed = out.replace(/\s+$/, "");
    const token = END_TOKENS.find((t) => trimmed.endsWith(t));
    if (!token) return out;
    out = trimmed.slice(0, -token.length);
  }
}

function stripLeadingPadding(text: string): string {
  let out = text;
  for (;;) {
    const token = END_TOKENS.find((t) => out.startsWith(t));
    if (!token) return out;
    out = out.slice(token.length);
  }
}

// The last user turn of a chat-templated prompt, for the common templates; anything else is
// taken as the question itself.
const USER_TURNS: RegExp[] = [
  /<\|im_start\|>user\s*\n([\s\S]*?)<\|im_end\|>/g, // ChatML (Qwen, Yi, ...)
  /<\|start_header_id\|>user<\|end_header_id\|>\s*([\s\S]*?)<\|eot_id\|>/g, // Llama 3
  /<start_of_turn>user\s*\n([\s\S]*?)<end_of_turn>/g, // Gemma
  /<\|user\|>\s*\n?([\s\S]*?)(?:<\|end\|>|<\|assistant\|>)/g, // Phi-3
  /\[INST\]([\s\S]*?)\[\/INST\]/g, // Llama 2, Mistral
];

export function questionFromPrompt(prompt: string): string {
  for (const pattern of USER_TURNS) {
    const matches = [...prompt.matchAll(pattern)];
    const last = matches.at(-1)?.[1];
    if (last !== undefined && last.trim() !== "") return last.replace(/<<SYS>>[\s\S]*?<<\/SYS>>/, "").trim();
  }
  return prompt.trim();
}

/** The response is what the query adds to its prompt (after any left padding). */
export function responseFromQuery(query: string, prompt: string): string | null {
  const unpadded = stripLeadingPadding(query);
  let rest: string | null = null;
  if (unpadded.startsWith(prompt)) rest = unpadded.slice(prompt.length);
  else {
    const at = query.indexOf(prompt);
    if (at >= 0) rest = query.slice(at + prompt.length);
  }
  return rest === null ? null : stripEndTokens(rest);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function stringList(body: Record<string, unknown>, field: string, n: number | null, allowNumbers = false): string[] {
  const value = body[field];
  if (value === undefined || value === null) throw new ProtocolError(field, "is required");
  if (!Array.isArray(value)) throw new ProtocolError(field, "must be a list");
  if (value.length === 0) throw new ProtocolError(field, "is empty");
  if (value.length > MAX_BATCH) throw new ProtocolError(field, `has ${value.length} items; at most ${MAX_BATCH} per request`);
  if (n !== null && value.length !== n) throw new ProtocolError(field, `has ${value.length} items but query has ${n}`);
  return value.map((v, i) => {
    if (allowNumbers && typeof v === "number" && Number.isFinite(v)) return String(v);
    if (typeof v !== "string") throw new ProtocolError(`${field}[${i}]`, `must be a string, not ${v === null ? "null" : typeof v}`);
    if (v.length > MAX_TEXT) throw new ProtocolError(`${field}[${i}]`, `is longer than ${MAX_TEXT} characters`);
    return v;
  });
}

function optionalName(body: Record<string, unknown>, field: string): string | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" || v.trim() === "" || v.length > MAX_NAME) throw new ProtocolError(field, `must be a non-empty string of at most ${MAX_NAME} characters`);
  return v.trim();
}

export function parseStep(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === "") return null;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 2_147_483_647) throw new ProtocolError(field, "must be a whole number >= 0");
  return n;
}

/** Reads a request body; throws ProtocolError naming the first bad field. */
export function parseRewardBody(body: unknown): TRewardRequest {
  if (!isObject(body)) throw new ProtocolError("body", "must be a JSON object with query, prompts and labels");
  const query = stringList(body, "query", null);
  const prompts = stringList(body, "prompts", query.length);
  const labels = stringList(body, "labels", query.length, true);
  const questions = body.questions === undefined || body.questions === null ? null : stringList(body, "questions", query.length);
  const items = query.map((q, i): TRewardItem => {
    const prompt = prompts[i]!;
    const response = responseFromQuery(q, prompt);
    if (response === null) throw new ProtocolError(`query[${i}]`, "does not contain prompts[" + i + "] (query must be the prompt followed by the response)");
    const reference = labels[i]!;
    if (reference.trim() === "") throw new ProtocolError(`labels[${i}]`, "is empty: the judge needs a reference answer");
    return { prompt, question: questions ? questions[i]! : questionFromPrompt(prompt), response, reference };
  });
  const raw = { judge: body.judge, reward: body.reward, normalize: body.normalize, finalStep: body.final_step ?? body.finalStep };
  const options = parseRewardOptions(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  const model = optionalName(body, "model") ?? "";
  return { items, options, run: optionalName(body, "run"), step: parseStep(body.step, "step"), model };
}
