// A judge against the experts, as a binary classifier: positive = the judge says YES / the
// experts' gold label is "correct". The false-accept rate is the reward-hacking risk: of the
// responses experts call incorrect, the share the judge rewards anyway.
export type TJudgeCounts = {
  /** judge YES, experts correct */
  tp: number;
  /** judge YES, experts incorrect: a false accept */
  fp: number;
  /** judge NO, experts correct: a false reject */
  fn: number;
  /** judge NO, experts incorrect */
  tn: number;
};

export type TJudgeQuality = TJudgeCounts & {
  n: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** fp / (fp + tn): experts say incorrect, the judge says YES */
  falseAcceptRate: number | null;
  /** fn / (fn + tp): experts say correct, the judge says NO */
  falseRejectRate: number | null;
};

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function judgeQuality(counts: TJudgeCounts): TJudgeQuality {
  const { tp, fp, fn, tn } = counts;
  const n = tp + fp + fn + tn;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    ...counts,
    n,
    accuracy: ratio(tp + tn, n),
    precision,
    recall,
    // 2PR / (P + R) = 2tp / (2tp + fp + fn); defined whenever there is any positive
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    falseAcceptRate: ratio(fp, fp + tn),
    falseRejectRate: ratio(fn, fn + tp),
  };
}
