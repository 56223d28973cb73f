// Soft rewards from the judge's first-token probabilities (design: Eq. 4 and its common variant).
//  - Eq. 4 (the paper): P(YES) when the verdict is YES, 1 - P(NO) when it is NO.
//  - renormalised: P(YES) / (P(YES) + P(NO)), robust when the two do not sum to one.
// Missing probabilities give null, never 0.

export function eq4Reward(verdict: string | null, pYes: number | null, pNo: number | null): number | null {
  if (verdict === "YES") return pYes;
  if (verdict === "NO") return pNo === null ? null : 1 - pNo;
  return null;
}

export function renormalizedReward(pYes: number | null, pNo: number | null): number | null {
  if (pYes === null || pNo === null || pYes + pNo === 0) return null;
  return pYes / (pYes + pNo);
}
