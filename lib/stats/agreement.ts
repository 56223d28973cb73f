// Agreement between two binary raters (a judge's YES/NO, an expert's correct/incorrect).
// Cells of the 2x2 table: the first letter is rater A, the second rater B; y = positive.
export type TConfusion = { yy: number; yn: number; ny: number; nn: number };

export type TAgreement = TConfusion & {
  n: number;
  /** raw agreement, (yy + nn) / n; null when n = 0 */
  observed: number | null;
  /** agreement expected by chance from the two raters' marginals */
  expected: number | null;
  /** Cohen's kappa, (observed - expected) / (1 - expected); null when undefined (n = 0, or
   *  both raters gave one and the same class to every item, so expected = 1) */
  kappa: number | null;
};

export function agreement(cells: TConfusion): TAgreement {
  const { yy, yn, ny, nn } = cells;
  const n = yy + yn + ny + nn;
  if (n === 0) return { ...cells, n, observed: null, expected: null, kappa: null };
  const observed = (yy + nn) / n;
  const aYes = (yy + yn) / n;
  const bYes = (yy + ny) / n;
  const expected = aYes * bYes + (1 - aYes) * (1 - bYes);
  const kappa = expected === 1 ? null : (observed - expected) / (1 - expected);
  return { ...cells, n, observed, expected, kappa };
}
