// Agreement between two binary raters (a judge's YES/NO, an expert's correct/incorrect).
// Cells of the 2x2 table: the first letter is rater A, the second rater B; y = positive.
export type TConfusion = { yy: number; yn: number; ny: number; nn: number };

// Standard error: the large-sample (non-null) variance of Fleiss, Cohen & Everitt (1969),
// "Large sample standard errors of kappa and weighted kappa", Psychological Bulletin 72(5), the
// one Stata's kapci, SAS's PROC FREQ (ASE) and statpsych's ci.kappa report. The 95% interval is
// kappa +- 1.96 SE (Wald), clipped to [-1, 1].
export type TAgreement = TConfusion & {
  n: number;
  /** raw agreement, (yy + nn) / n; null when n = 0 */
  observed: number | null;
  /** agreement expected by chance from the two raters' marginals */
  expected: number | null;
  /** Cohen's kappa, (observed - expected) / (1 - expected); null when undefined (n = 0, or
   *  both raters gave one and the same class to every item, so expected = 1) */
  kappa: number | null;
  /** standard error of kappa; null when kappa is undefined, or when one rater gave one answer to every item (kappa is then 0 by construction) */
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
};

/** The 0.975 quantile of the standard normal distribution. */
export const Z_975 = 1.959963984540054;

export function agreement(cells: TConfusion): TAgreement {
  const { yy, yn, ny, nn } = cells;
  const n = yy + yn + ny + nn;
  if (n === 0) return { ...cells, n, observed: null, expected: null, kappa: null, se: null, ciLow: null, ciHigh: null };
  const observed = (yy + nn) / n;
  const aYes = (yy + yn) / n;
  const bYes = (yy + ny) / n;
  const expected = aYes * bYes + (1 - aYes) * (1 - bYes);
  if (expected === 1) return { ...cells, n, observed, expected, kappa: null, se: null, ciLow: null, ciHigh: null };
  const kappa = (observed - expected) / (1 - expected);
  // One rater gave one answer to every item: kappa is 0 whatever the other did (observed equals
  // expected), and the large-sample variance is 0 with it. An interval [0, 0] from three items
  // would claim a certainty the table does not hold: none is given.
  if (aYes === 0 || aYes === 1 || bYes === 0 || bYes === 1) return { ...cells, n, observed, expected, kappa, se: null, ciLow: null, ciHigh: null };
  const se = kappaStandardError(cells, kappa, expected);
  // At kappa = 1 (no disagreement) or -1 (none of the agreement, with balanced marginals) the
  // large-sample variance vanishes: the Wald interval would be [1, 1] or [-1, -1] even for two
  // items, a certainty no finite table holds. The interval is not given there; se stays 0, which is
  // what the formula says. (Rounding leaves a variance of about 1e-17 in place of 0.)
  if (se < 1e-9) return { ...cells, n, observed, expected, kappa, se: 0, ciLow: null, ciHigh: null };
  return { ...cells, n, observed, expected, kappa, se, ciLow: Math.max(-1, kappa - Z_975 * se), ciHigh: Math.min(1, kappa + Z_975 * se) };
}

/**
 * Fleiss, Cohen & Everitt (1969), eq. 13 for a 2x2 table with proportions p_ij, row (rater A)
 * marginals p_i. and column (rater B) marginals p_.j:
 *   Var = [ sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2 + (1 - k)^2 sum_{i!=j} p_ij (p_.i + p_j.)^2
 *           - (k - p_e (1 - k))^2 ] / (n (1 - p_e)^2)
 */
function kappaStandardError({ yy, yn, ny, nn }: TConfusion, kappa: number, expected: number): number {
  const n = yy + yn + ny + nn;
  const p = [
    [yy / n, yn / n],
    [ny / n, nn / n],
  ] as const;
  const row = [p[0][0] + p[0][1], p[1][0] + p[1][1]] as const;
  const col = [p[0][0] + p[1][0], p[0][1] + p[1][1]] as const;
  const q = 1 - kappa;
  const diagonal = p[0][0] * (1 - (row[0] + col[0]) * q) ** 2 + p[1][1] * (1 - (row[1] + col[1]) * q) ** 2;
  const offDiagonal = q ** 2 * (p[0][1] * (col[0] + row[1]) ** 2 + p[1][0] * (col[1] + row[0]) ** 2);
  const variance = (diagonal + offDiagonal - (kappa - expected * q) ** 2) / (n * (1 - expected) ** 2);
  // Rounding can leave a tiny negative where the true variance is 0 (perfect agreement).
  return Math.sqrt(Math.max(0, variance));
}
