// Krippendorff's alpha for nominal data, any number of annotators, missing values allowed
// (Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011). Input: per unit (item), how
// many annotators gave each value. Units with fewer than two values are not pairable and are left
// out. Identical units may come aggregated with a multiplicity, which is how the SQL feeds it
// (one row per distinct profile of counts).
//   o_ck = sum_u n_uc n_uk / (m_u - 1) (c != k),  o_cc = sum_u n_uc (n_uc - 1) / (m_u - 1)
//   n_c = sum_k o_ck,  n = sum_c n_c
//   alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k
export type TUnitProfile = { counts: readonly number[]; multiplicity?: number };

export type TAlpha = {
  /** null when undefined: no pairable unit, or every pairable value is the same */
  alpha: number | null;
  /** pairable units (two or more values) */
  units: number;
  /** pairable values, n */
  values: number;
  /** the coincidence matrix o_ck */
  coincidences: number[][];
};

export function krippendorffAlphaNominal(profiles: Iterable<TUnitProfile>): TAlpha {
  let coincidences: number[][] = [];
  let units = 0;
  for (const { counts, multiplicity = 1 } of profiles) {
    const m = counts.reduce((a, b) => a + b, 0);
    if (m < 2 || multiplicity === 0) continue;
    if (coincidences.length === 0) coincidences = counts.map(() => counts.map(() => 0));
    if (counts.length !== coincidences.length) throw new Error("every unit must count the same values");
    units += multiplicity;
    for (let c = 0; c < counts.length; c++) {
      for (let k = 0; k < counts.length; k++) {
        const pairs = c === k ? counts[c]! * (counts[c]! - 1) : counts[c]! * counts[k]!;
        coincidences[c]![k]! += (multiplicity * pairs) / (m - 1);
      }
    }
  }
  const marginals = coincidences.map((row) => row.reduce((a, b) => a + b, 0));
  const n = marginals.reduce((a, b) => a + b, 0);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < marginals.length; c++) {
    for (let k = 0; k < marginals.length; k++) {
      if (c === k) continue;
      observed += coincidences[c]![k]!;
      expected += marginals[c]! * marginals[k]!;
    }
  }
  const alpha = units === 0 || expected === 0 ? null : 1 - ((n - 1) * observed) / expected;
  return { alpha, units, values: n, coincidences };
}
