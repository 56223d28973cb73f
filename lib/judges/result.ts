// What judging one item produces, whatever the judge: the row a run writes into `judgments`.
import type { TTokenLogprob } from "@/lib/verifier/logprobs";
import type { TVerdict } from "@/lib/verifier/verdict";

export type TItemResult = {
  responseId: number;
  /** null only when the call failed (then `error` and `errorKind` say why) */
  verdict: TVerdict | null;
  pYes: number | null;
  pNo: number | null;
  softReward: number | null;
  rawOutput: string | null;
  topLogprobs: TTokenLogprob[] | null;
  /** why the verdict is UNPARSEABLE, or why the call failed */
  error: string | null;
  errorKind: string | null;
  promptHash: string | null;
  attempts: number;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
};

const NUL = "\u0000";
/** NUL and lone surrogates replaced by U+FFFD (see storable). */
const clean = (text: string) => {
  const whole = text.isWellFormed() ? text : text.toWellFormed();
  return whole.includes(NUL) ? whole.replaceAll(NUL, "\uFFFD") : whole;
};

/**
 * The result as Postgres can store it. Text and jsonb hold no NUL character, and jsonb no lone
 * surrogate (an escaped "\ud83d" without its pair), both of which an endpoint may send: a
 * garbage reply, an escaped "\u0000" in its JSON, a byte-level token holding half an emoji.
 * Replaced by U+FFFD: otherwise one such reply fails the whole batch it is written with, good
 * results included, and the chunk again on every retry.
 */
export function storable(result: TItemResult): TItemResult {
  return {
    ...result,
    rawOutput: result.rawOutput === null ? null : clean(result.rawOutput),
    error: result.error === null ? null : clean(result.error),
    topLogprobs: result.topLogprobs?.map((t) => ({ ...t, token: clean(t.token) })) ?? null,
  };
}
