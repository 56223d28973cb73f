// Calibration of a judge's soft reward (P(YES)) against the experts' gold label (1 = correct).
// Reliability diagram: 10 equal-width bins of P(YES); in each, the mean predicted probability
// against the share the experts call correct. ECE (Naeini et al. 2015; Guo et al. 2017, eq. 3):
//   ECE = sum_b (n_b / N) |acc_b - conf_b|.
// Brier score (Brier 1950): mean of (p - y)^2.
// The SQL (calibration-queries.ts) computes the same bin sums with the same bin formula, so
// both sides place every score in the same bin.
export const CALIBRATION_BINS = 10;

export type TScored = { p: number; y: 0 | 1 };

/** Bin of probability p: floor(p * bins), with p = 1 in the last bin. SQL: least(floor(p * 10), 9). */
export const binOf = (p: number, bins = CALIBRATION_BINS) => Math.min(Math.floor(p * bins), bins - 1);

export type TBinSums = { bin: number; n: number; sumP: number; positives: number; sumSquaredError: number };

export type TReliabilityBin = { bin: number; low: number; high: number; n: number; meanP: number | null; observed: number | null };

export type TCalibration = { n: number; bins: TReliabilityBin[]; ece: number | null; brier: number | null };

export function binSums(points: Iterable<TScored>, bins = CALIBRATION_BINS): TBinSums[] {
  const sums = Array.from({ length: bins }, (_, bin) => ({ bin, n: 0, sumP: 0, positives: 0, sumSquaredError: 0 }));
  for (const { p, y } of points) {
    const s = sums[binOf(p, bins)]!;
    s.n++;
    s.sumP += p;
    s.positives += y;
    s.sumSquaredError += (p - y) ** 2;
  }
  return sums;
}

/** Reliability diagram, ECE and Brier score from per-bin sums (bins absent from `sums` are empty). */
export function calibrationFromSums(sums: readonly TBinSums[], bins = CALIBRATION_BINS): TCalibration {
  const byBin = new Map(sums.map((s) => [s.bin, s]));
  const n = sums.reduce((a, s) => a + s.n, 0);
  let ece = 0;
  let squared = 0;
  const out: TReliabilityBin[] = [];
  for (let bin = 0; bin < bins; bin++) {
    const s = byBin.get(bin);
    const count = s?.n ?? 0;
    const meanP = count ? s!.sumP / count : null;
    const observed = count ? s!.positives / count : null;
    if (count) ece += (count / n) * Math.abs(observed! - meanP!);
    squared += s?.sumSquaredError ?? 0;
    out.push({ bin, low: bin / bins, high: (bin + 1) / bins, n: count, meanP, observed });
  }
  return { n, bins: out, ece: n ? ece : null, brier: n ? squared / n : null };
}

export const calibration = (points: Iterable<TScored>, bins = CALIBRATION_BINS) => calibrationFromSums(binSums(points, bins), bins);

// ---------------------------------------------------------------------------------------------
// Threshold sweep: the judge says YES when P(YES) >= t.

/** Thresholds 0, 0.05, ..., 1 computed as i / 20 (the SQL computes i::float8 / 20: the same doubles). */
export const SWEEP_STEPS = 20;
export const sweepThresholds = (steps = SWEEP_STEPS) => Array.from({ length: steps + 1 }, (_, i) => i / steps);

export type TSweepPoint = { threshold: number; tp: number; fp: number; fn: number; tn: number; accuracy: number | null; f1: number | null };

export function sweepPoint(threshold: number, c: { tp: number; fp: number; fn: number; tn: number }): TSweepPoint {
  const n = c.tp + c.fp + c.fn + c.tn;
  const f1Denominator = 2 * c.tp + c.fp + c.fn;
  return { threshold, ...c, accuracy: n ? (c.tp + c.tn) / n : null, f1: f1Denominator ? (2 * c.tp) / f1Denominator : null };
}

export function thresholdSweep(points: readonly TScored[], thresholds = sweepThresholds()): TSweepPoint[] {
  return thresholds.map((t) => {
    const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
    for (const { p, y } of points) {
      const key = p >= t ? (y ? "tp" : "fp") : y ? "fn" : "tn";
      c[key]++;
    }
    return sweepPoint(t, c);
  });
}

/**
 * The sweep from counts per threshold bucket, as SQL's width_bucket(p, thresholds) gives them:
 * bucket b = how many thresholds are <= p, so p >= thresholds[i] exactly when b >= i + 1.
 */
export function sweepFromBuckets(counts: readonly { bucket: number; positives: number; negatives: number }[], thresholds = sweepThresholds()): TSweepPoint[] {
  const positives = new Array<number>(thresholds.length + 2).fill(0);
  const negatives = new Array<number>(thresholds.length + 2).fill(0);
  for (const c of counts) {
    positives[c.bucket]! += c.positives;
    negatives[c.bucket]! += c.negatives;
  }
  const totalPositives = positives.reduce((a, b) => a + b, 0);
  const totalNegatives = negatives.reduce((a, b) => a + b, 0);
  // Running sums from the top bucket down: items with bucket >= i + 1.
  let tp = 0;
  let fp = 0;
  const out: TSweepPoint[] = [];
  for (let i = thresholds.length - 1; i >= 0; i--) {
    tp += positives[i + 1]!;
    fp += negatives[i + 1]!;
    out.push(sweepPoint(thresholds[i]!, { tp, fp, fn: totalPositives - tp, tn: totalNegatives - fp }));
  }
  return out.reverse();
}
