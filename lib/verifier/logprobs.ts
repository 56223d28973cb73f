// P(YES) and P(NO) from one generated position's top log-probabilities (design: Eq. 4).
// A judge's "YES" can come as several tokens of its vocabulary ("YES", "Yes", "yes", " YES",
// "ĠYes" from a byte-level BPE vocabulary, "▁Yes" from a SentencePiece one): P(YES) is the sum
// of the probabilities of every listed token that reads as yes, P(NO) likewise.
// Tokens that only start the word ("Y", "YE") or wrap it ("**", "'") are not variants: the
// first generated token decides, as in the paper.

/** One entry of a top-logprobs list, as the endpoint sent it. `id` when the server gives one. */
export type TTokenLogprob = { token: string; logprob: number; id?: number };

/** One generated position: the sampled token and the most likely alternatives. */
export type TPosition = { token: string | null; logprob: number | null; top: TTokenLogprob[] };

// Space and newline markers some servers leave in raw token strings: "Ġ" (U+0120) and "Ċ"
// (U+010A) of byte-level BPE (GPT-2, Qwen, Llama 3), "▁" (U+2581) of SentencePiece.
const TOKEN_MARKERS = /^[\u0120\u010a\u0109\u2581]+|[\u0120\u010a\u0109\u2581]+$/g;

/** "YES", "NO" or null: the verdict word a token spells on its own. */
export function verdictOfToken(token: string): "YES" | "NO" | null {
  const word = token.replace(TOKEN_MARKERS, "").trim().toLowerCase();
  if (word === "yes") return "YES";
  if (word === "no") return "NO";
  return null;
}

const probability = (logprob: number) => (Number.isFinite(logprob) ? Math.exp(logprob) : 0);

/**
 * The distinct entries of a position: the top list plus the sampled token when the list left it
 * out. Two entries are the same token when they share an id, or (without ids) the same text and
 * log-probability; distinct tokens that spell the same text (two ids for "Yes") both count.
 */
export function distinctEntries(position: TPosition): TTokenLogprob[] {
  const seen = new Set<string>();
  const out: TTokenLogprob[] = [];
  const entries = [...position.top];
  if (position.token !== null && position.logprob !== null) entries.push({ token: position.token, logprob: position.logprob });
  for (const entry of entries) {
    if (typeof entry.token !== "string" || typeof entry.logprob !== "number" || Number.isNaN(entry.logprob)) continue;
    const key = entry.id !== undefined ? `id:${entry.id}` : `t:${entry.token}\u0000${entry.logprob}`;
    // The sampled token repeats a listed one (same text and value) without an id: skip it.
    const textKey = `t:${entry.token}\u0000${entry.logprob}`;
    if (seen.has(key) || seen.has(textKey)) continue;
    seen.add(key);
    seen.add(textKey);
    out.push(entry);
  }
  return out;
}

export type TYesNo = { pYes: number; pNo: number; yesTokens: string[]; noTokens: string[] };

export function yesNoProbabilities(position: TPosition): TYesNo {
  const result: TYesNo = { pYes: 0, pNo: 0, yesTokens: [], noTokens: [] };
  for (const entry of distinctEntries(position)) {
    const verdict = verdictOfToken(entry.token);
    if (verdict === "YES") {
      result.pYes += probability(entry.logprob);
      result.yesTokens.push(entry.token);
    } else if (verdict === "NO") {
      result.pNo += probability(entry.logprob);
      result.noTokens.push(entry.token);
    }
  }
  // Rounding in the server's float32 log-probabilities can push a sum a hair past 1.
  result.pYes = Math.min(1, result.pYes);
  result.pNo = Math.min(1, result.pNo);
  return result;
}

/**
 * Which generated position carries the verdict:
 *  - "first": the first generated token, the paper's definition (its judges answer one word);
 *  - "first_verdict": the first position whose sampled token reads as YES or NO, for judges that
 *    open with markup or whitespace ("**YES**", "\nYES"); falls back to the first position.
 */
export type TLogprobToken = "first" | "first_verdict";

export function verdictPosition(positions: TPosition[], which: TLogprobToken): TPosition | null {
  if (positions.length === 0) return null;
  if (which === "first_verdict") {
    const found = positions.find((p) => p.token !== null && verdictOfToken(p.token) !== null);
    if (found) return found;
  }
  return positions[0]!;
}
