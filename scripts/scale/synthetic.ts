// The synthetic dataset of the scale seed, as pure functions of (seed, question number, sample):
// any row can be regenerated from its coordinates, so the seed streams without keeping state and
// a second run produces the same data.
//
// The story it tells (so the analytics views have something to find):
//  - each question has a subject (48, skewed like ExamQA's) and a difficulty; its k responses
//    come from one policy checkpoint (later checkpoints are better), so groups are often all
//    right or all wrong (zero-variance groups: no GRPO learning signal);
//  - the truth of a response is hidden; a 72B judge reads it well, a 7B judge is correlated
//    with the 72B, noisier on long responses and overconfident in its probabilities;
//  - a few replies are unparseable, a few calls fail; the 7B judge was sampled 3 times on ~5%
//    of the responses (self-consistency);
//  - ~2.2% of responses carry 2 or 3 expert labels (~50k labels at 1M responses), each right
//    94% of the time.

export const SUBJECTS = [
  "medicine", "biology", "chemistry", "physics", "economics", "education", "law", "psychology",
  "history", "mathematics", "computer science", "engineering", "philosophy", "sociology",
  "political science", "geography", "literature", "linguistics", "management", "accounting",
  "finance", "marketing", "agriculture", "environmental science", "pharmacy", "nursing",
  "public health", "dentistry", "veterinary medicine", "statistics", "astronomy", "geology",
  "materials science", "electrical engineering", "mechanical engineering", "civil engineering",
  "architecture", "art history", "music", "religious studies", "anthropology", "archaeology",
  "communication", "journalism", "tourism", "sports science", "military science", "library science",
] as const;

export const POLICY_MODELS = ["qwen2.5-7b-rlvr-step100", "qwen2.5-7b-rlvr-step200", "qwen2.5-7b-rlvr-step300", "qwen2.5-7b-rlvr-step400"] as const;
export const ANNOTATORS = ["expert-a", "expert-b", "expert-c", "expert-d"] as const;
export const JUDGE_72B = { name: "Qwen2.5-72B-Instruct", sizeLabel: "72B" };
export const JUDGE_7B = { name: "RM-7B", sizeLabel: "7B" };

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: a 32-bit integer hash of the coordinates and a stream number.

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [0, 1) for (seed, a, b, stream). */
export function uniform(seed: number, a: number, b: number, stream: number): number {
  let h = mix(seed ^ 0x9e3779b9);
  h = mix(h ^ a);
  h = mix(h ^ Math.imul(b + 1, 0x27d4eb2f));
  h = mix(h ^ Math.imul(stream + 1, 0x165667b1));
  return h / 4294967296;
}

function normal(seed: number, a: number, b: number, stream: number): number {
  const u = Math.max(uniform(seed, a, b, stream), 1e-12);
  const v = uniform(seed, a, b, stream + 1000);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

// ---------------------------------------------------------------------------------------------
// Questions and responses.

export type TSynthQuestion = { no: number; externalId: string; subject: string; policyModel: string; text: string; reference: string };

/** Subject index with weights 1/(i+4): a long tail like a real multi-subject set. */
function subjectOf(seed: number, q: number): string {
  const weights = SUBJECTS.map((_, i) => 1 / (i + 4));
  let x = uniform(seed, q, -1, 1) * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < SUBJECTS.length; i++) {
    x -= weights[i]!;
    if (x < 0) return SUBJECTS[i]!;
  }
  return SUBJECTS[SUBJECTS.length - 1]!;
}

export function question(seed: number, q: number): TSynthQuestion {
  const subject = subjectOf(seed, q);
  const policyModel = POLICY_MODELS[Math.floor(uniform(seed, q, -1, 2) * POLICY_MODELS.length)]!;
  return {
    no: q,
    externalId: `q${q}`,
    subject,
    policyModel,
    text: `[${subject}] Question ${q}: ${words(seed, q, -1, 12 + Math.floor(uniform(seed, q, -1, 3) * 30))}?`,
    reference: answerToken(seed, q),
  };
}

const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zen", "dra", "pho", "qui", "ber", "tal", "gon", "xis"];

/** Word `i` of a fixed vocabulary of 4096 made-up words. */
function word(i: number): string {
  let out = "";
  let x = i + 17;
  for (let k = 0; k < 2 + (i % 3); k++) {
    out += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length) + k * 7;
  }
  return out;
}

/** `n` words, Zipf-like (small word numbers much more frequent), so text search has both common and rare hits. */
function words(seed: number, a: number, b: number, n: number): string {
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(word(Math.floor(4096 ** uniform(seed, a, b, 100 + k)) - 1));
  return out.join(" ");
}

function answerToken(seed: number, q: number): string {
  return `${word(Math.floor(uniform(seed, q, -1, 4) * 4096))}-${Math.floor(uniform(seed, q, -1, 5) * 1000)}`;
}

export type TSynthResponse = { sample: number; text: string; isCorrect: boolean };

/** The hidden truth and the text of response `s` to question `q`. */
export function response(seed: number, q: number, s: number): TSynthResponse {
  const meta = question(seed, q);
  const step = POLICY_MODELS.indexOf(meta.policyModel as (typeof POLICY_MODELS)[number]);
  const difficulty = 0.2 + 1.8 * normal(seed, q, -1, 6);
  const isCorrect = uniform(seed, q, s, 7) < sigmoid(difficulty + 0.35 * step);
  // Log-normal length (median ~400 characters), clamped to 40..8000.
  const length = Math.min(8000, Math.max(40, Math.round(Math.exp(6 + 0.8 * normal(seed, q, s, 8)))));
  const answer = isCorrect ? meta.reference : answerToken(seed, q * 7 + s + 1);
  const lastLine = `Final answer: ${answer}`;
  let body = "";
  for (let line = 0; body.length + lastLine.length < length; line++) body += `${words(seed, q, s * 1000 + line, 8 + (line % 9))}.\n`;
  return { sample: s, text: body + lastLine, isCorrect };
}

// ---------------------------------------------------------------------------------------------
// Judgments and labels.

export type TSynthJudgment = { sample: number; verdict: "YES" | "NO" | "UNPARSEABLE" | null; pYes: number | null; pNo: number | null; softReward: number | null; rawOutput: string | null; error: string | null };

function judgment(sample: number, z: number, u: number): TSynthJudgment {
  if (u < 0.0005) return { sample, verdict: null, pYes: null, pNo: null, softReward: null, rawOutput: null, error: "request timed out after 60 s" };
  if (u < 0.0025) return { sample, verdict: "UNPARSEABLE", pYes: null, pNo: null, softReward: null, rawOutput: "The final step is partially correct.", error: "reply is neither YES nor NO" };
  const soft = sigmoid(z);
  // 2% of the first token's mass goes to other tokens; the renormalised P(YES) is `soft` again.
  return { sample, verdict: soft >= 0.5 ? "YES" : "NO", pYes: soft * 0.98, pNo: (1 - soft) * 0.98, softReward: soft, rawOutput: soft >= 0.5 ? "YES" : "NO", error: null };
}

export type TSynthJudgments = { large: TSynthJudgment; small: TSynthJudgment[] };

/** The 72B judgment (sample 0) and the 7B judgments (sample 0, plus 1 and 2 on ~5% of responses). */
export function judgments(seed: number, q: number, s: number, textLength: number, isCorrect: boolean): TSynthJudgments {
  const sign = isCorrect ? 1 : -1;
  const z72 = 2.4 * sign + 1.2 * normal(seed, q, s, 20);
  const lengthNoise = 1.0 + 0.35 * Math.max(0, Math.log(textLength / 400));
  const z7 = 0.75 * z72 + lengthNoise * normal(seed, q, s, 22);
  const small = [judgment(0, 1.4 * z7, uniform(seed, q, s, 24))];
  if (uniform(seed, q, s, 25) < 0.05) {
    for (const k of [1, 2]) small.push(judgment(k, 1.4 * (z7 + 0.8 * normal(seed, q, s, 26 + 2 * k)), uniform(seed, q, s, 30 + k)));
  }
  return { large: judgment(0, z72, uniform(seed, q, s, 21)), small };
}

export type TSynthLabel = { annotator: string; value: "correct" | "incorrect" | "unsure" };

/** 0, 2 or 3 expert labels: ~1.6% of responses get 2, ~0.6% get 3. */
export function labels(seed: number, q: number, s: number, isCorrect: boolean): TSynthLabel[] {
  const u = uniform(seed, q, s, 40);
  const count = u < 0.016 ? 2 : u < 0.022 ? 3 : 0;
  const first = Math.floor(uniform(seed, q, s, 41) * ANNOTATORS.length);
  return Array.from({ length: count }, (_, k) => {
    const v = uniform(seed, q, s, 42 + k);
    const isRight = v >= 0.075;
    const value = v < 0.015 ? "unsure" : isRight === isCorrect ? "correct" : "incorrect";
    return { annotator: ANNOTATORS[(first + k) % ANNOTATORS.length]!, value };
  });
}
