// Eq. 5 of the paper: r~ = (r - mean) / std over a batch of rewards, with std the population
// standard deviation; where std = 0 (all rewards equal) every normalised reward is 0. "group"
// applies it within each group (the k responses to one prompt: GRPO's advantage).

export function zScores(rewards: number[]): number[] {
  const n = rewards.length;
  if (n === 0) return [];
  const mean = rewards.reduce((a, b) => a + b, 0) / n;
  const variance = rewards.reduce((a, r) => a + (r - mean) * (r - mean), 0) / n;
  const std = Math.sqrt(variance);
  // Rewards equal up to rounding (e.g. 0.1 + 0.2 vs 0.3) count as equal: dividing rounding noise
  // by itself would turn it into rewards of +-1.
  if (std <= 1e-12 * Math.max(1, Math.abs(mean))) return rewards.map(() => 0);
  return rewards.map((r) => (r - mean) / std);
}

/** z-scores within each group; `groups[i]` names the group of `rewards[i]`. */
export function groupZScores(rewards: number[], groups: string[]): number[] {
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = members.get(g);
    if (list) list.push(i);
    else members.set(g, [i]);
  });
  const out = new Array<number>(rewards.length);
  for (const indexes of members.values()) {
    const z = zScores(indexes.map((i) => rewards[i]!));
    indexes.forEach((i, j) => (out[i] = z[j]!));
  }
  return out;
}
