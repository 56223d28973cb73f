// From a judge's reply to what the studio stores: the verdict (Eq. 3), P(YES) and P(NO) of the
// verdict position, both soft rewards (Eq. 4 and the renormalised one) and the reward the
// judge's setting picks. Missing log-probabilities give null probabilities and a null soft
// reward, never 0; so does a position whose top list holds neither a YES nor a NO variant.
import type { TJudgeReply } from "./judge-reply";
import { verdictPosition, yesNoProbabilities, type TLogprobToken, type TTokenLogprob } from "./logprobs";
import { eq4Reward, renormalizedReward } from "./soft-reward";
import { parseVerdict, type TVerdict, type TVerdictMode } from "./verdict";

export type TSoftRewardKind = "eq4" | "renormalized";

export type TOutcomeOptions = { verdictMode: TVerdictMode; logprobToken: TLogprobToken; softReward: TSoftRewardKind };

export type TOutcome = {
  verdict: TVerdict;
  /** why the verdict is UNPARSEABLE */
  reason: string | null;
  pYes: number | null;
  pNo: number | null;
  eq4: number | null;
  renormalized: number | null;
  /** the reward the judge's setting picks */
  softReward: number | null;
  /** the verdict position's top list, as sent */
  topLogprobs: TTokenLogprob[] | null;
};

export function judgeOutcome(reply: Pick<TJudgeReply, "text" | "positions">, options: TOutcomeOptions): TOutcome {
  const parsed = parseVerdict(reply.text, options.verdictMode);
  const position = reply.positions ? verdictPosition(reply.positions, options.logprobToken) : null;
  let pYes: number | null = null;
  let pNo: number | null = null;
  if (position) {
    const p = yesNoProbabilities(position);
    // Neither variant among the listed tokens: the probabilities say nothing about the verdict.
    if (p.pYes > 0 || p.pNo > 0) {
      pYes = p.pYes;
      pNo = p.pNo;
    }
  }
  const eq4 = eq4Reward(parsed.verdict, pYes, pNo);
  const renormalized = renormalizedReward(pYes, pNo);
  return {
    verdict: parsed.verdict,
    reason: parsed.reason ?? null,
    pYes,
    pNo,
    eq4,
    renormalized,
    softReward: options.softReward === "eq4" ? eq4 : renormalized,
    topLogprobs: position ? position.top : null,
  };
}
