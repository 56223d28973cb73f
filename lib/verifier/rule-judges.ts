// Rule-based judges, run in-process with the same outcome shape as model judges:
//  - containment (the paper's binary baseline): a reference appears in the response's final
//    answer after normalisation;
//  - jaccard (the paper's soft baseline): Jaccard similarity of the token sets, YES at or above
//    a threshold;
//  - numeric: the final answer's last number equals the reference within a tolerance;
//  - choice: the option letter the final answer picks equals the reference letter.
// A reference may list alternatives ("FedExField | Landover, Maryland"); the best one counts.
// A reference the rule cannot read (no number, no letter) makes the verdict UNPARSEABLE with the
// reason; a response without an answer the rule can find is NO, as the paper's template asks.
import { extractFinalStep } from "./final-step";
import type { TVerdict } from "./verdict";

export const RULES = ["containment", "jaccard", "numeric", "choice"] as const;
export type TRule = (typeof RULES)[number];

export type TRuleSettings = {
  rule: TRule;
  /** splits the reference into alternatives; "" for none */
  referenceSeparator: string;
  /** jaccard: the similarity at or above which the verdict is YES */
  threshold: number;
  /** numeric: |a - b| <= max(absoluteTolerance, relativeTolerance * max(|a|, |b|)) */
  relativeTolerance: number;
  absoluteTolerance: number;
  /** compare with the response's last non-empty line (the paper's setting) */
  finalStepOnly: boolean;
};

export const DEFAULT_RULE_SETTINGS: Omit<TRuleSettings, "rule"> = {
  referenceSeparator: "|",
  threshold: 0.5,
  relativeTolerance: 1e-6,
  absoluteTolerance: 1e-9,
  finalStepOnly: true,
};

export type TRuleOutcome = { verdict: TVerdict; softReward: number | null; reason: string | null };

const ARTICLES = /\b(a|an|the)\b/g;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/**
 * The SQuAD evaluation script's normalisation (Rajpurkar et al. 2016, `normalize_answer`): lower
 * case, punctuation deleted ("U.S.A." -> "usa"), English articles removed, spaces collapsed;
 * plus NFKC so full-width characters compare equal to their ASCII forms.
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, "")
    .replace(ARTICLES, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Words, or single characters for text in a script written without spaces (Chinese, Japanese). */
export function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  if (normalized === "") return [];
  return normalized.split(" ").flatMap((word) => (CJK.test(word) ? [...word] : [word]));
}

export function jaccard(a: string[], b: string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  if (A.size === 0 && B.size === 0) return 0;
  let both = 0;
  for (const t of A) if (B.has(t)) both++;
  return both / (A.size + B.size - both);
}

/** The reference appears in the answer as whole words (as characters for CJK text). */
export function contains(answer: string, reference: string): boolean {
  const ref = normalizeAnswer(reference);
  if (ref === "") return false;
  const ans = normalizeAnswer(answer);
  if (CJK.test(ref)) return ans.replace(/ /g, "").includes(ref.replace(/ /g, ""));
  return ` ${ans} `.includes(` ${ref} `);
}

const NUMBER = /[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?%?|[-−]?\.\d+%?/g;
const FRACTION = /^\s*[-−]?\s*(?:\\[dt]?frac\{\s*(-?\d+(?:\.\d+)?)\s*\}\{\s*(-?\d+(?:\.\d+)?)\s*\}|(-?\d+(?:\.\d+)?)\s*\/\s*(-?\d+(?:\.\d+)?))\s*$/;

type TNumber = { value: number; percent: boolean };

function toNumber(raw: string): TNumber {
  const percent = raw.endsWith("%");
  const value = Number(raw.replace(/[,%]/g, "").replace("−", "-"));
  return { value, percent };
}

/** The reference as a number: "42", "-3.5", "1,000", "50%", "3/4", "\frac{3}{4}", "$12". */
export function parseReferenceNumber(text: string): TNumber | null {
  const t = text.trim().replace(/^\$|\$$/g, "").replace(/^\\\(|\\\)$/g, "").trim();
  const fraction = FRACTION.exec(t);
  if (fraction) {
    const num = Number(fraction[1] ?? fraction[3]);
    const den = Number(fraction[2] ?? fraction[4]);
    const sign = /^\s*[-−]/.test(t) ? -1 : 1;
    return den === 0 ? null : { value: (sign * num) / den, percent: false };
  }
  const stripped = t.replace(/^[$€£¥]\s*/, "").replace(/\s*(?:dollars?|units?)$/i, "");
  if (!/^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?%?$/.test(stripped) || !/\d/.test(stripped)) return null;
  return toNumber(stripped);
}

/** The last number in the answer (a fraction a/b counts as one number). */
export function lastNumber(text: string): TNumber | null {
  const fractions = [...text.matchAll(/(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)/g)];
  const numbers = [...text.matchAll(NUMBER)];
  const lastFraction = fractions.at(-1);
  const last = numbers.at(-1);
  if (lastFraction && (!last || lastFraction.index! + lastFraction[0].length >= last.index! + last[0].length)) {
    const den = Number(lastFraction[2]);
    if (den !== 0) return { value: Number(lastFraction[1]) / den, percent: false };
  }
  return last ? toNumber(last[0]) : null;
}

export function numbersMatch(a: TNumber, b: TNumber, rel: number, abs: number): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(abs, rel * Math.max(Math.abs(x), Math.abs(y)));
  if (close(a.value, b.value)) return true;
  // "50%" and "0.5" name the same quantity when exactly one side is written as a percentage.
  if (a.percent !== b.percent) return a.percent ? close(a.value / 100, b.value) : close(a.value, b.value / 100);
  return false;
}

/** The option letter a reference names: "B", "(B)", "B.", "B) Paris". */
export function parseReferenceLetter(text: string): string | null {
  const m = /^\s*\(?([A-Za-z])\)?(?:[.):]|\s|$)/.exec(text.trim());
  if (!m || (text.trim().length > 3 && !/^\s*\(?[A-Za-z][.):]/.test(text))) return null;
  return m[1]!.toUpperCase();
}

/** The option letter an answer picks: "The answer is (C)", "Answer: C", "**C**", "C", "(C) Paris". */
export function answerLetter(text: string): string | null {
  const plain = text.replace(/[*_`]/g, "").trim();
  const stated = [...plain.matchAll(/answer(?:\s+is)?\s*[:：]?\s*\(?([A-J])\)?(?![A-Za-z])/gi)].at(-1);
  if (stated) return stated[1]!.toUpperCase();
  const alone = /^\(?([A-J])\)?[.)]?$/.exec(plain);
  if (alone) return alone[1]!;
  const leading = /^\(?([A-J])[.):]\s/.exec(plain) ?? /^\(([A-J])\)/.exec(plain);
  if (leading) return leading[1]!;
  const bracketed = [...plain.matchAll(/\(([A-J])\)/g)].at(-1);
  return bracketed ? bracketed[1]! : null;
}

function alternatives(reference: string, separator: string): string[] {
  const parts = separator ? reference.split(separator) : [reference];
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function ruleJudge(settings: TRuleSettings, input: { response: string; reference: string }): TRuleOutcome {
  const answer = settings.finalStepOnly ? extractFinalStep(input.response) : input.response;
  const refs = alternatives(input.reference, settings.referenceSeparator);
  if (refs.length === 0) return { verdict: "UNPARSEABLE", softReward: null, reason: "the reference is empty" };
  const yesNo = (yes: boolean): TRuleOutcome => ({ verdict: yes ? "YES" : "NO", softReward: yes ? 1 : 0, reason: null });

  switch (settings.rule) {
    case "containment":
      return yesNo(refs.some((ref) => contains(answer, ref)));
    case "jaccard": {
      const tokens = answerTokens(answer);
      const best = Math.max(...refs.map((ref) => jaccard(tokens, answerTokens(ref))));
      return { verdict: best >= settings.threshold ? "YES" : "NO", softReward: best, reason: null };
    }
    case "numeric": {
      const targets = refs.map(parseReferenceNumber).filter((n): n is TNumber => n !== null);
      if (targets.length === 0) return { verdict: "UNPARSEABLE", softReward: null, reason: `the reference is not a number: "${input.reference.slice(0, 60)}"` };
      const found = lastNumber(answer);
      return yesNo(found !== null && targets.some((t) => numbersMatch(found, t, settings.relativeTolerance, settings.absoluteTolerance)));
    }
    case "choice": {
      const letters = refs.map(parseReferenceLetter).filter((l): l is string => l !== null);
      if (letters.length === 0) return { verdict: "UNPARSEABLE", softReward: null, reason: `the reference is not an option letter: "${input.reference.slice(0, 60)}"` };
      const picked = answerLetter(answer);
      return yesNo(picked !== null && letters.includes(picked));
    }
  }
}
