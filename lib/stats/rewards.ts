// Reward statistics (design: Eq. 3 binary reward, Eq. 4 soft reward, Eq. 5 normalisation).
// Eq. 5: r~ = (r - mean) / std over a batch, or over the k responses to one question (the group
// GRPO and RLOO normalise within); where std = 0 every normalised reward is 0: such a group gives
// no learning signal. `ddof` picks the standard deviation: 1 (sample, n - 1) is what TRL's and
// verl's GRPO compute (torch.std), 0 the population one. With ddof 1 a single reward has no std:
// its normalised reward is 0 too.
export type TDdof = 0 | 1;

export function meanStd(values: readonly number[], ddof: TDdof = 1): { n: number; mean: number | null; std: number | null } {
  const n = values.length;
  if (n === 0) return { n, mean: null, std: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n - ddof <= 0) return { n, mean, std: null };
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { n, mean, std: Math.sqrt(squares / (n - ddof)) };
}

/** Eq. 5 over one batch or group. */
export function zScores(values: readonly number[], ddof: TDdof = 1): number[] {
  const { mean, std } = meanStd(values, ddof);
  if (!std) return values.map(() => 0);
  return values.map((v) => (v - mean!) / std);
}

// ---------------------------------------------------------------------------------------------
// Histograms: `bins` equal-width bins over [low, high]; values outside fall into the edge bins
// (SQL: least(greatest(floor((v - low) / (high - low) * bins), 0), bins - 1)).

export function histogramBin(value: number, low: number, high: number, bins: number): number {
  return Math.min(Math.max(Math.floor(((value - low) / (high - low)) * bins), 0), bins - 1);
}

export function histogram(values: Iterable<number>, low: number, high: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[histogramBin(v, low, high, bins)]!++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Per-question groups under the binary reward: k responses, `passes` of them rewarded 1.

export type TGroupProfile = { k: number; passes: number; groups: number };

export type TGroupStats = {
  groups: number;
  /** groups of one response: no variance is possible */
  singletons: number;
  /** groups (k >= 2) whose rewards are all equal: every normalised reward is 0 */
  zeroVariance: number;
  allPass: number;
  allFail: number;
  /** share of groups with k >= 2 that have zero variance */
  zeroVarianceShare: number | null;
  /** pass-rate distribution: `bins` equal-width bins of passes / k over [0, 1] */
  passRateHistogram: number[];
};

export function groupStats(profiles: readonly TGroupProfile[], bins = 10): TGroupStats {
  const out: TGroupStats = { groups: 0, singletons: 0, zeroVariance: 0, allPass: 0, allFail: 0, zeroVarianceShare: null, passRateHistogram: new Array<number>(bins).fill(0) };
  for (const { k, passes, groups } of profiles) {
    if (k === 0) continue;
    out.groups += groups;
    out.passRateHistogram[histogramBin(passes / k, 0, 1, bins)]! += groups;
    if (k === 1) {
      out.singletons += groups;
      continue;
    }
    if (passes === 0) out.allFail += groups;
    if (passes === k) out.allPass += groups;
    if (passes === 0 || passes === k) out.zeroVariance += groups;
  }
  const comparable = out.groups - out.singletons;
  out.zeroVarianceShare = comparable ? out.zeroVariance / comparable : null;
  return out;
}

/**
 * The group-normalised binary rewards of a group of k with `passes` ones follow from (k, passes)
 * alone: a pass gets (1 - p) / std, a fail -p / std, with p = passes / k. So the distribution of
 * group-normalised binary rewards is exact from the group profiles, without a row per response.
 */
export function groupZValues(k: number, passes: number, ddof: TDdof = 1): { pass: number; fail: number } {
  const rewards = [...new Array<number>(passes).fill(1), ...new Array<number>(k - passes).fill(0)];
  const z = zScores(rewards, ddof);
  return { pass: passes ? z[0]! : 0, fail: passes < k ? z[k - 1]! : 0 };
}
