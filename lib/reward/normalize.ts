// Eq. 5 for the reward endpoint: the batch's rewards through lib/stats/rewards.ts zScores (the
// analytics views' normalisation, with its default sample standard deviation, as TRL's and
// verl's GRPO compute it), over the whole batch or within each group (the k responses to one
// prompt: GRPO's advantage).
import { zScores } from "@/lib/stats/rewards";

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
