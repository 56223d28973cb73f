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
