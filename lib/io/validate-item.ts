// Validating one mapped row into what the importer writes: a question, maybe a response, maybe
// an expert label and a judge's verdict on that response. Bad rows become rejects with the
// field at fault and the reason; nothing here touches the database.
import { extractFinalStep } from "@/lib/verifier/final-step";
import { parseVerdict, type TVerdict } from "@/lib/verifier/verdict";
import type { TLabelValue } from "@/lib/labels/gold";
import { questionKey, responseKey } from "./keys";
import type { TReject } from "./types";

export type TItemRow = {
  line: number;
  question: unknown;
  reference: unknown;
  response?: unknown;
  policyModel?: unknown;
  sampleIndex?: unknown;
  subject?: unknown;
  language?: unknown;
  questionExternalId?: unknown;
  responseExternalId?: unknown;
  expertLabel?: unknown;
  annotator?: unknown;
  judge?: unknown;
  verdict?: unknown;
  pYes?: unknown;
  pNo?: unknown;
  softReward?: unknown;
  rawOutput?: unknown;
  /** the judge's template version the verdict was made with ("" when absent) */
  templateVersion?: unknown;
  /** the judge's n-th sample on the response (0 when absent) */
  judgeSample?: unknown;
  questionMetadata?: Record<string, unknown>;
  responseMetadata?: Record<string, unknown>;
};

// `copy`: the row's fields in COPY's text format, filled by copy-write.ts's prepareCopy (the
// importer calls it while the previous batch is being written).
export type TValidQuestion = { key: string; externalId: string | null; text: string; reference: string; subject: string | null; language: string | null; metadata: string; copy?: string };
export type TValidResponse = { key: string; externalId: string | null; policyModel: string; sampleIndex: number; text: string; finalStep: string; textLength: number; metadata: string; copy?: string };
export type TValidItem = {
  line: number;
  question: TValidQuestion;
  response: TValidResponse | null;
  label: { annotator: string; value: TLabelValue } | null;
  judgment: {
    judge: string;
    verdict: TVerdict;
    pYes: number | null;
    pNo: number | null;
    softReward: number | null;
    rawOutput: string | null;
    error: string | null;
    /** null: the file gives none (the judge's import run decides) */
    templateVersion: string | null;
    sample: number;
  } | null;
};

/** Defaults for values a file may leave out. */
export type TItemDefaults = { annotator?: string; judge?: string };

const text = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
};
/** No value: absent, null, or only spaces. */
export const isBlank = (value: unknown) => value === null || value === undefined || (typeof value === "string" && value.trim() === "");

const LABELS: Record<string, TLabelValue> = {
  correct: "correct", true: "correct", yes: "correct", y: "correct", "1": "correct",
  incorrect: "incorrect", false: "incorrect", no: "incorrect", n: "incorrect", "0": "incorrect",
  unsure: "unsure",
};

/** An expert label from the forms files use; null = no label; undefined = not a label. */
export function parseLabel(value: unknown): TLabelValue | null | undefined {
  if (isBlank(value)) return null;
  const t = text(value);
  return t === null ? undefined : LABELS[t.trim().toLowerCase()];
}

function probability(value: unknown): number | null | undefined {
  if (isBlank(value)) return null;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Length in code points without building an array of them (a surrogate pair is one). */
export function codePoints(s: string): number {
  let n = s.length;
  if (!SURROGATE.test(s)) return n; // most text: one UTF-16 unit per code point
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function metadataText(metadata: Record<string, unknown> | undefined): string {
  for (const _ in metadata) return JSON.stringify(metadata);
  return "{}";
}

// Files list a question's responses one after another (rollouts, generic rows): a row whose
// question is the previous row's gets the same object, so the key is hashed once per question
// and the writer (import-items.ts) sees one question. Nothing changes a validated question.
let previous: TValidQuestion | null = null;
function sameQuestion(externalId: string | null, text: string, reference: string, subject: string | null, language: string | null, metadata: string): TValidQuestion {
  const p = previous;
  if (p && p.text === text && p.reference === reference && p.externalId === externalId && p.subject === subject && p.language === language && p.metadata === metadata) return p;
  previous = { key: questionKey({ externalId, text, reference }), externalId, text, reference, subject, language, metadata };
  return previous;
}

/** Whether a value holds a NUL character anywhere (in a string, or in a key or value of an object or list). */
function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  for (const key in value) if (key.includes("\u0000") || holdsNul((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** The first field of the row holding a NUL character, which Postgres stores in neither text nor jsonb. */
function nulField(row: TItemRow): string | null {
  for (const field in row) {
    const value = row[field as keyof TItemRow];
    if (field === "questionMetadata" || field === "responseMetadata") {
      for (const key in value as Record<string, unknown>) if (key.includes("\u0000") || holdsNul((value as Record<string, unknown>)[key])) return key;
    } else if (holdsNul(value)) return FIELD_NAME[field] ?? field;
  }
  return null;
}

/** A row's fields as the column mapping (./mapping.ts) names them, for the report. */
const FIELD_NAME: Record<string, string> = {
  policyModel: "policy_model",
  sampleIndex: "sample_index",
  questionExternalId: "question_id",
  responseExternalId: "response_id",
  expertLabel: "expert_label",
  pYes: "p_yes",
  pNo: "p_no",
  softReward: "soft_reward",
  rawOutput: "raw_output",
  templateVersion: "template_version",
  judgeSample: "judge_sample",
};

export function validateItem(row: TItemRow, defaults: TItemDefaults = {}): TValidItem | TReject {
  const reject = (field: string, reason: string): TReject => ({ line: row.line, field, reason });
  // Otherwise the whole import would fail at the write, not this one line.
  const withNul = nulField(row);
  if (withNul !== null) return reject(withNul.replaceAll("\u0000", "\uFFFD"), "holds a NUL character (U+0000), which the database cannot store");
  const question = text(row.question);
  if (question === null || question.trim() === "") {
    return reject("question", row.question !== null && row.question !== undefined && question === null ? "question must be text" : "missing question text");
  }
  const reference = text(row.reference);
  if (reference === null || reference.trim() === "") {
    return reject("reference", row.reference !== null && row.reference !== undefined && reference === null ? "reference must be text" : "missing reference answer");
  }
  const qExternal = text(row.questionExternalId);
  const item: TValidItem = {
    line: row.line,
    question: sameQuestion(qExternal && qExternal.trim() !== "" ? qExternal.trim() : null, question, reference, text(row.subject)?.trim() || null, text(row.language)?.trim() || null, metadataText(row.questionMetadata)),
    response: null,
    label: null,
    judgment: null,
  };

  const label = parseLabel(row.expertLabel);
  if (label === undefined) return reject("expert_label", `not a label: ${JSON.stringify(row.expertLabel).slice(0, 40)} (use correct/incorrect/unsure, true/false, yes/no or 1/0)`);
  const hasVerdict = !isBlank(row.verdict);

  if (row.response === null || row.response === undefined) {
    // No response: a question-only row. A label or verdict then has nothing to belong to.
    // (An empty string is a response: a model may answer nothing. CSV cells that are empty
    // arrive here as null, see import-job.ts.)
    if (label !== null) return reject("expert_label", "an expert label without a response");
    if (hasVerdict) return reject("verdict", "a verdict without a response");
    return item;
  }
  const response = text(row.response);
  if (response === null) return reject("response", "response must be text");
  let sampleIndex = 0;
  if (!isBlank(row.sampleIndex)) {
    sampleIndex = Number(row.sampleIndex);
    if (!Number.isInteger(sampleIndex) || sampleIndex < 0) return reject("sample_index", "must be a whole number >= 0");
  }
  const policyModel = text(row.policyModel);
  if (row.policyModel !== undefined && row.policyModel !== null && policyModel === null) return reject("policy_model", "policy model must be text");
  const rExternal = text(row.responseExternalId);
  const externalId = rExternal && rExternal.trim() !== "" ? rExternal.trim() : null;
  const model = policyModel?.trim() ?? "";
  item.response = {
    key: responseKey({ externalId, policyModel: model, sampleIndex, text: response }),
    externalId,
    policyModel: model,
    sampleIndex,
    text: response,
    finalStep: extractFinalStep(response),
    // characters, as Postgres' length() counts them (code points, not UTF-16 units)
    textLength: codePoints(response),
    metadata: metadataText(row.responseMetadata),
  };

  if (label !== null) {
    const annotator = text(row.annotator)?.trim() || defaults.annotator?.trim() || "import";
    item.label = { annotator, value: label };
  }
  if (hasVerdict) {
    const judge = text(row.judge)?.trim() || defaults.judge?.trim();
    if (!judge) return reject("judge", "a verdict needs a judge name (map a judge column or name the judge)");
    const raw = typeof row.verdict === "boolean" ? (row.verdict ? "YES" : "NO") : text(row.verdict);
    if (raw === null) return reject("verdict", "verdict must be text or true/false");
    // "UNPARSEABLE" (a flat export's verdict) with the judge's reply: the reason is the reply's, as
    // when the judge gave it, not the word's.
    const reply = raw.trim() === "UNPARSEABLE" ? text(row.rawOutput) : null;
    const fromReply = reply !== null ? parseVerdict(reply, "leading") : null;
    const parsed = fromReply?.verdict === "UNPARSEABLE" ? fromReply : parseVerdict(raw, "leading");
    const probs = { pYes: probability(row.pYes), pNo: probability(row.pNo), softReward: probability(row.softReward) };
    for (const [field, value] of [["p_yes", probs.pYes], ["p_no", probs.pNo], ["soft_reward", probs.softReward]] as const) {
      if (value === undefined) return reject(field, "must be a probability between 0 and 1");
    }
    const rawOutput = text(row.rawOutput);
    let sample = 0;
    if (!isBlank(row.judgeSample)) {
      sample = Number(row.judgeSample);
      if (!Number.isInteger(sample) || sample < 0 || sample > 1_000_000) return reject("judge_sample", "must be a whole number >= 0");
    }
    const version = isBlank(row.templateVersion) ? null : text(row.templateVersion)?.trim();
    if (version === undefined || (version !== null && version.length > 200)) return reject("template_version", "must be text of at most 200 characters");
    item.judgment = {
      judge,
      verdict: parsed.verdict,
      pYes: probs.pYes ?? null,
      pNo: probs.pNo ?? null,
      softReward: probs.softReward ?? null,
      rawOutput: rawOutput ?? (parsed.verdict === "UNPARSEABLE" ? raw : null),
      error: parsed.reason ?? null,
      templateVersion: version,
      sample,
    };
  }
  return item;
}
