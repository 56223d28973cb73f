// From a multi-way contingency table of several raters' binary answers (one row per distinct
// combination of answers, with its count: what one GROUP BY over all raters returns) to the
// 2x2 table of every pair of raters. `null` = the rater gave no YES/NO answer on those items.
import { agreement, type TAgreement, type TConfusion } from "./agreement";

export type TAnswer = boolean | null;
export type TProfile = { answers: readonly TAnswer[]; n: number };

export type TPairTable = TAgreement & { a: number; b: number; answeredA: number; answeredB: number };

export function pairConfusion(profiles: readonly TProfile[], a: number, b: number): TConfusion {
  const cells = { yy: 0, yn: 0, ny: 0, nn: 0 };
  for (const { answers, n } of profiles) {
    const x = answers[a];
    const y = answers[b];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    cells[x ? (y ? "yy" : "yn") : y ? "ny" : "nn"] += n;
  }
  return cells;
}

export function answeredCounts(profiles: readonly TProfile[], raters: number): number[] {
  const counts = new Array<number>(raters).fill(0);
  for (const { answers, n } of profiles) answers.forEach((x, i) => (x === null ? undefined : (counts[i]! += n)));
  return counts;
}

/** Every unordered pair (a < b) of `raters` raters. */
export function pairTables(profiles: readonly TProfile[], raters: number): TPairTable[] {
  const answered = answeredCounts(profiles, raters);
  const out: TPairTable[] = [];
  for (let a = 0; a < raters; a++) {
    for (let b = a + 1; b < raters; b++) {
      out.push({ ...agreement(pairConfusion(profiles, a, b)), a, b, answeredA: answered[a]!, answeredB: answered[b]! });
    }
  }
  return out;
}
