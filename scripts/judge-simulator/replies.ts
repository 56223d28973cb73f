// TEST DOUBLE. Reply bodies in vLLM's exact OpenAI-compatible format (field names and nesting of
// vllm/entrypoints/openai/{chat_completion,completion}/protocol.py), with log-probabilities.
import { randomUUID } from "node:crypto";

export type TSimVerdict = "YES" | "NO";

const bytes = (s: string) => [...Buffer.from(s, "utf8")];

/**
 * The first token's distribution for a verdict given with confidence p: the verdict word and its
 * variants share p, the other word and its variants most of 1 - p, filler tokens the rest.
 * `space` prefixes a space, as base models do after a prompt ending in "Output:".
 */
export function distribution(verdict: TSimVerdict, p: number, space: boolean): [string, number][] {
  const other: TSimVerdict = verdict === "YES" ? "NO" : "YES";
  const cap = (w: string) => w[0] + w.slice(1).toLowerCase();
  const s = space ? " " : "";
  const alt = space ? "" : " ";
  const q = 1 - p;
  const entries: [string, number][] = [
    [`${s}${verdict}`, p * 0.9],
    [`${s}${cap(verdict)}`, p * 0.07],
    [`${alt}${verdict}`, p * 0.03],
    [`${s}${other}`, q * 0.8],
    [`${s}${cap(other)}`, q * 0.15],
    [`${s}**`, q * 0.02],
    [`${s}The`, q * 0.01],
    [`${s}${verdict.toLowerCase()}`, q * 0.005],
    [`${s}${other.toLowerCase()}`, q * 0.004],
    ["\n", q * 0.003],
    [`${s}Based`, q * 0.002],
    [`${s}I`, q * 0.001],
    [`${s}Answer`, q * 0.0008],
    [`${s}Output`, q * 0.0006],
    [`${s}'`, q * 0.0004],
    [`${s}"`, q * 0.0003],
    [`${s}Correct`, q * 0.0002],
    [`${s}Y`, q * 0.0001],
    [`${s}N`, q * 0.00008],
    [`${s}-`, q * 0.00005],
  ];
  return entries.sort((a, b) => b[1] - a[1]);
}

const usage = (promptTokens: number, completionTokens: number) => ({
  prompt_tokens: promptTokens,
  total_tokens: promptTokens + completionTokens,
  completion_tokens: completionTokens,
  prompt_tokens_details: null,
});

export function chatReply(model: string, verdict: TSimVerdict, p: number, topLogprobs: number | null, promptTokens: number) {
  const top = distribution(verdict, p, false);
  const [token, prob] = top[0]!;
  const logprobs =
    topLogprobs === null
      ? null
      : {
          content: [
            {
              token,
              logprob: Math.log(prob),
              bytes: bytes(token),
              top_logprobs: top.slice(0, topLogprobs).map(([t, q]) => ({ token: t, logprob: Math.log(q), bytes: bytes(t) })),
            },
          ],
        };
  return {
    id: `chatcmpl-${randomUUID().replace(/-/g, "")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: token, refusal: null, annotations: null, audio: null, function_call: null, tool_calls: [], reasoning: null },
        logprobs,
        finish_reason: "stop",
        stop_reason: null,
        token_ids: null,
      },
    ],
    service_tier: null,
    system_fingerprint: null,
    usage: usage(promptTokens, 1),
    prompt_logprobs: null,
    prompt_token_ids: null,
    kv_transfer_params: null,
  };
}

export function completionReply(model: string, verdict: TSimVerdict, p: number, logprobs: number | null, promptTokens: number, promptChars: number) {
  const top = distribution(verdict, p, true);
  const [token, prob] = top[0]!;
  return {
    id: `cmpl-${randomUUID().replace(/-/g, "")}`,
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        text: token,
        logprobs:
          logprobs === null
            ? null
            : {
                text_offset: [promptChars],
                token_logprobs: [Math.log(prob)],
                tokens: [token],
                top_logprobs: [Object.fromEntries(top.slice(0, logprobs).map(([t, q]) => [t, Math.log(q)]))],
              },
        finish_reason: "length",
        stop_reason: null,
        token_ids: null,
        prompt_logprobs: null,
        prompt_token_ids: null,
      },
    ],
    service_tier: null,
    system_fingerprint: null,
    usage: usage(promptTokens, 1),
    kv_transfer_params: null,
  };
}

export function modelsReply(model: string, created: number) {
  return {
    object: "list",
    data: [
      {
        id: model,
        object: "model",
        created,
        owned_by: "vllm",
        root: model,
        parent: null,
        max_model_len: 32768,
        permission: [
          {
            id: `modelperm-${randomUUID().replace(/-/g, "")}`,
            object: "model_permission",
            created,
            allow_create_engine: false,
            allow_sampling: true,
            allow_logprobs: true,
            allow_search_indices: false,
            allow_view: true,
            allow_fine_tuning: false,
            organization: "*",
            group: null,
            is_blocking: false,
          },
        ],
      },
    ],
  };
}

/** vLLM's error body: { error: { message, type, param, code } }. */
export function errorReply(code: number, type: string, message: string) {
  return { error: { message, type, param: null, code } };
}
