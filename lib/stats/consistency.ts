// Self-consistency of a judge sampled several times on the same item: with m YES/NO samples of
// which `yes` are YES, the item flips when both answers occur; the pairwise disagreement is the
// share of sample pairs that differ, yes * no / C(m, 2). Items with fewer than two readable
// samples say nothing about consistency and are left out.
export type TSampleProfile = { yes: number; no: number; items: number };

export type TConsistency = {
  /** items with two or more YES/NO samples */
  items: number;
  /** items whose samples are not all the same */
  flipped: number;
  flipRate: number | null;
  /** share of disagreeing pairs over all sample pairs */
  pairwiseDisagreement: number | null;
};

export function selfConsistency(profiles: readonly TSampleProfile[]): TConsistency {
  let items = 0;
  let flipped = 0;
  let pairs = 0;
  let disagreeing = 0;
  for (const { yes, no, items: count } of profiles) {
    const m = yes + no;
    if (m < 2) continue;
    items += count;
    if (yes > 0 && no > 0) flipped += count;
    pairs += (count * m * (m - 1)) / 2;
    disagreeing += count * yes * no;
  }
  return { items, flipped, flipRate: items ? flipped / items : null, pairwiseDisagreement: pairs ? disagreeing / pairs : null };
}
