// The column mapping: which column of a file holds each field the studio knows. It is guessed
// from column names (editable in the wizard, `--map` on the CLI), and it also expresses the
// layouts researchers' files come in:
//   - one row per response (generic JSONL/CSV/Parquet);
//   - the released RLVR format: `query` = chat messages [system, user] (the question is the
//     user message, the system message is kept as the question's `system_prompt` metadata),
//     `label` = the reference;
//   - rollouts: the response column holds a list (one question, k responses; sample index =
//     position in the list); label and verdict columns may hold lists of the same length;
//   - wide files (EVOUNA: answer_fid, judge_fid, answer_gpt4, judge_gpt4, ...): a mapping with
//     `*`, e.g. response=answer_*, expert_label=judge_*, reads one response per matching column,
//     with the `*` part as its policy model.
// Unmapped columns are kept as metadata (of the response, or of the question when a row holds
// several responses).
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { TRecord } from "./sources";
import type { TItemRow } from "./validate-item";

export const FIELDS = [
  "question", "reference", "response", "policy_model", "sample_index", "subject", "language", "question_id", "response_id",
  "expert_label", "annotator", "judge", "verdict", "p_yes", "p_no", "soft_reward", "raw_output", "template_version", "judge_sample",
] as const;
export type TField = (typeof FIELDS)[number];
export type TMapping = Partial<Record<TField, string>>;
export const ZMapping = z.partialRecord(z.enum(FIELDS), z.string().trim().min(1).max(200));

/** Fields that may name a pattern with `*` (one value per response column of a wide row). */
const PER_RESPONSE: readonly TField[] = ["response", "response_id", "expert_label", "verdict", "p_yes", "p_no", "soft_reward", "raw_output", "sample_index"];

export const FIELD_HELP: Record<TField, string> = {
  question: "question text, or chat messages (the user message is taken)",
  reference: "the expert's reference answer",
  response: "a model's response; a list = k responses; answer_* = one per column",
  policy_model: "the model that wrote the response",
  sample_index: "n-th sample of the same model on the question",
  subject: "subject or domain",
  language: "language",
  question_id: "the source's question id",
  response_id: "the source's response id",
  expert_label: "expert label: correct/incorrect/unsure, true/false, yes/no, 1/0",
  annotator: "who gave the expert label",
  judge: "name of the judge that gave the verdict",
  verdict: "judge verdict: YES/NO (other text is kept as unparseable)",
  p_yes: "judge's probability of YES",
  p_no: "judge's probability of NO",
  soft_reward: "judge's soft reward (0..1)",
  raw_output: "judge's raw reply",
  template_version: "the judge's prompt template version the verdict was made with (a flat export's column)",
  judge_sample: "n-th sample of the judge on the response, for self-consistency (0 when absent)",
};

const SYNONYMS: Record<TField, string[]> = {
  question: ["question", "query", "prompt", "problem", "input", "instruction"],
  reference: ["reference", "label", "golden_answer", "gold_answer", "gold", "reference_answer", "ground_truth", "target", "answer"],
  response: ["response", "responses", "output", "completion", "completions", "model_answer", "prediction", "generation", "model_output"],
  policy_model: ["policy_model", "model", "policy", "model_name", "system"],
  sample_index: ["sample_index", "sample", "sample_idx", "sample_id"],
  subject: ["subject", "domain", "category", "topic"],
  language: ["language", "lang"],
  question_id: ["question_id", "qid"],
  response_id: ["response_id", "rid"],
  expert_label: ["expert_label", "human_label", "gold_label", "is_correct"],
  annotator: ["annotator"],
  judge: ["judge", "judge_name"],
  verdict: ["verdict"],
  p_yes: ["p_yes", "prob_yes"],
  p_no: ["p_no", "prob_no"],
  soft_reward: ["soft_reward", "reward", "score"],
  raw_output: ["raw_output", "judge_output"],
  template_version: ["template_version"],
  judge_sample: ["judge_sample"],
};

/** A mapping guessed from column names: exact names first, then synonyms; each column used once. */
export function guessMapping(columns: string[]): TMapping {
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const used = new Set<string>();
  const mapping: TMapping = {};
  for (const field of FIELDS) {
    for (const name of SYNONYMS[field]) {
      const column = lower.get(name);
      if (column && !used.has(column)) {
        mapping[field] = column;
        used.add(column);
        break;
      }
    }
  }
  // Wide files: several answer_<model> (or response_<model>) columns and no single response column.
  if (!mapping.response) {
    for (const prefix of ["answer_", "response_", "output_"]) {
      const wide = columns.filter((c) => c.toLowerCase().startsWith(prefix));
      if (wide.length >= 2) {
        mapping.response = `${wide[0]!.slice(0, prefix.length)}*`;
        break;
      }
    }
  }
  // "answer" is the last name tried for the reference; left over (a file with "gold" for the
  // reference and "answer" for what the model said), it is the response. A guess the wizard
  // shows before anything is imported.
  const answer = lower.get("answer");
  if (!mapping.response && answer && !used.has(answer)) {
    mapping.response = answer;
    used.add(answer);
  }
  return mapping;
}

export function parseMappingText(text: string | undefined): TMapping {
  if (!text) return {};
  const mapping: TMapping = {};
  for (const pair of text.split(",")) {
    const [field, column] = pair.split("=").map((s) => s.trim());
    if (!field || !column || !(FIELDS as readonly string[]).includes(field)) {
      throw new AppError("INVALID", `bad mapping "${pair}": use field=column with field one of ${FIELDS.join(", ")}`);
    }
    mapping[field as TField] = column;
  }
  return mapping;
}

export function checkMapping(mapping: TMapping) {
  for (const [field, column] of Object.entries(mapping) as [TField, string][]) {
    const stars = column.split("*").length - 1;
    if (stars > 1) throw new AppError("INVALID", `${field}=${column}: a pattern has at most one *`);
    if (stars === 1 && !PER_RESPONSE.includes(field)) throw new AppError("INVALID", `${field} cannot be a * pattern (only ${PER_RESPONSE.join(", ")})`);
    if (stars === 1 && field !== "response" && !mapping.response?.includes("*")) {
      throw new AppError("INVALID", `${field}=${column} is a pattern, so response must be one too (e.g. response=answer_*)`);
    }
  }
}


type TMessage = { role?: unknown; content?: unknown };

/** The question of a chat-messages value: the last user message; the system message, if any. */
export function questionFromMessages(value: unknown): { text: unknown; system?: string } {
  let messages = value;
  if (typeof value === "string" && /^\s*\[\s*\{/.test(value)) {
    try {
      messages = JSON.parse(value);
    } catch {
      return { text: value };
    }
  }
  if (!Array.isArray(messages)) return { text: value };
  const list = messages as TMessage[];
  const user = [...list].reverse().find((m) => m && m.role === "user");
  const system = list.find((m) => m && m.role === "system");
  return {
    text: user ? user.content : null,
    system: typeof system?.content === "string" ? system.content : undefined,
  };
}

const escapeRegex = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
const patterns = new Map<string, RegExp>();
const patternOf = (pattern: string) => {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${pattern.split("*").map(escapeRegex).join("(.+)")}$`);
    if (patterns.size < 100) patterns.set(pattern, regex);
  }
  return regex;
};

/** Whether a mapped column is among `columns`: by name, or for a pattern (answer_*), by a column it matches. */
export const columnIn = (column: string, columns: readonly string[]): boolean =>
  column.includes("*") ? columns.some((c) => patternOf(column).test(c)) : columns.includes(column);

/** The value of `field` in `record` for the wide-row capture `slot` (or the plain column). */
function columnOf(mapping: TMapping, field: TField, slot?: string): string | undefined {
  const column = mapping[field];
  if (!column) return undefined;
  return column.includes("*") ? (slot === undefined ? undefined : column.replace("*", slot)) : column;
}

const at = (value: unknown, i: number) => (Array.isArray(value) ? value[i] : value);

/** A record that cannot be read as rows, for one reason named by its field (the line is rejected). */
export class RecordError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const plainColumns = new WeakMap<TMapping, Set<string>>();

/**
 * The common layout (one row per response, or per question), built as one object of a fixed
 * shape: this runs once per line of files with millions of lines. Null when the record needs the
 * general path (a pattern mapping, a list of responses, chat messages as the question).
 */
function mapPlain(line: number, record: TRecord, m: TMapping): TItemRow[] | null {
  if (m.response?.includes("*")) return null;
  const v = (column: string | undefined) => (column === undefined ? undefined : record[column]);
  const question = v(m.question);
  const response = v(m.response);
  if (typeof question !== "string" || Array.isArray(response)) return null;
  let used = plainColumns.get(m);
  if (!used) {
    used = new Set(Object.values(m));
    plainColumns.set(m, used);
  }
  let metadata: Record<string, unknown> | null = null;
  for (const key in record) {
    if (used.has(key)) continue;
    metadata ??= {};
    metadata[key] = record[key];
  }
  const hasResponse = m.response !== undefined;
  return [
    {
      line,
      question,
      reference: v(m.reference),
      response,
      policyModel: v(m.policy_model),
      sampleIndex: v(m.sample_index),
      subject: v(m.subject),
      language: v(m.language),
      questionExternalId: v(m.question_id),
      responseExternalId: v(m.response_id),
      expertLabel: v(m.expert_label),
      annotator: v(m.annotator),
      judge: v(m.judge),
      verdict: v(m.verdict),
      pYes: v(m.p_yes),
      pNo: v(m.p_no),
      softReward: v(m.soft_reward),
      rawOutput: v(m.raw_output),
      templateVersion: v(m.template_version),
      judgeSample: v(m.judge_sample),
      questionMetadata: hasResponse ? {} : (metadata ?? {}),
      responseMetadata: hasResponse ? (metadata ?? {}) : {},
    },
  ];
}

/** Turns one record into its response slots (none when it holds only a question). */
export function mapRecord(line: number, record: TRecord, mapping: TMapping): TItemRow[] {
  const plain = mapPlain(line, record, mapping);
  if (plain) return plain;
  const used = new Set<string>();
  const get = (field: TField, slot?: string) => {
    const column = columnOf(mapping, field, slot);
    if (!column) return undefined;
    used.add(column);
    return record[column];
  };
  const asked = get("question");
  const { text: question, system } = questionFromMessages(asked);
  // Every row is built by `make` with all fields in one order: one object shape for the engine.
  const reference = get("reference");
  const policyModel = get("policy_model");
  const subject = get("subject");
  const language = get("language");
  const questionExternalId = get("question_id");
  const annotator = get("annotator");
  const judge = get("judge");
  const templateVersion = get("template_version");
  const judgeSample = get("judge_sample");
  type TSlot = { response?: unknown; responseExternalId?: unknown; sampleIndex?: unknown; expertLabel?: unknown; verdict?: unknown; pYes?: unknown; pNo?: unknown; softReward?: unknown; rawOutput?: unknown; policyModel?: unknown };
  const make = (r: TSlot): TItemRow => ({
    line,
    question,
    reference,
    response: r.response,
    policyModel: r.policyModel === undefined ? policyModel : r.policyModel,
    sampleIndex: r.sampleIndex,
    subject,
    language,
    questionExternalId,
    responseExternalId: r.responseExternalId,
    expertLabel: r.expertLabel,
    annotator,
    judge,
    verdict: r.verdict,
    pYes: r.pYes,
    pNo: r.pNo,
    softReward: r.softReward,
    rawOutput: r.rawOutput,
    templateVersion,
    judgeSample,
    questionMetadata: undefined,
    responseMetadata: undefined,
  });
  const perResponse = (slot?: string): TSlot => ({
    response: get("response", slot),
    responseExternalId: get("response_id", slot),
    sampleIndex: get("sample_index", slot),
    expertLabel: get("expert_label", slot),
    verdict: get("verdict", slot),
    pYes: get("p_yes", slot),
    pNo: get("p_no", slot),
    softReward: get("soft_reward", slot),
    rawOutput: get("raw_output", slot),
  });

  let rows: TItemRow[];
  let isMulti = false;
  const responsePattern = mapping.response?.includes("*") ? patternOf(mapping.response) : null;
  if (responsePattern) {
    // Wide row: one response per matching column, the `*` part naming its policy model.
    isMulti = true;
    rows = [];
    for (const column of Object.keys(record)) {
      const slot = responsePattern.exec(column)?.[1];
      if (slot === undefined) continue;
      rows.push(make({ ...perResponse(slot), policyModel: policyModel ?? slot }));
    }
  } else {
    const values = perResponse();
    if (Array.isArray(values.response)) {
      // Rollout: k responses to one question; parallel lists give each its own label/verdict. A
      // list of another length is misaligned (which label is whose?): the line is refused.
      const k = values.response.length;
      const lists: [TField, unknown][] = [
        ["response_id", values.responseExternalId], ["sample_index", values.sampleIndex], ["expert_label", values.expertLabel], ["verdict", values.verdict],
        ["p_yes", values.pYes], ["p_no", values.pNo], ["soft_reward", values.softReward], ["raw_output", values.rawOutput], ["policy_model", policyModel],
      ];
      for (const [field, list] of lists) {
        if (Array.isArray(list) && list.length !== k) throw new RecordError(field, `a list of ${list.length} beside ${k} responses: each response needs its own (or one value for all)`);
      }
      isMulti = true;
      rows = values.response.map((response, i) =>
        make({
          response: typeof response === "object" && response !== null ? ((response as Record<string, unknown>).content ?? (response as Record<string, unknown>).text ?? response) : response,
          responseExternalId: at(values.responseExternalId, i),
          sampleIndex: Array.isArray(values.sampleIndex) ? values.sampleIndex[i] : i,
          expertLabel: at(values.expertLabel, i),
          verdict: at(values.verdict, i),
          pYes: at(values.pYes, i),
          pNo: at(values.pNo, i),
          softReward: at(values.softReward, i),
          rawOutput: at(values.rawOutput, i),
          policyModel: at(policyModel, i),
        }),
      );
    } else rows = [make(values)];
  }

  if (isMulti) {
    // A missing answer is no response (a system that did not answer), unless it carries a label
    // or verdict, which the importer then rejects. A row with no answer at all still brings its
    // question.
    const isEmpty = (v: unknown) => v === null || v === undefined;
    rows = rows.filter((r) => !isEmpty(r.response) || !isEmpty(r.expertLabel) || !isEmpty(r.verdict));
    if (!rows.some((r) => !isEmpty(r.response))) rows.unshift(make({}));
  }

  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!used.has(key) && !(responsePattern && responsePattern.test(key))) metadata[key] = value;
  const questionMetadata: Record<string, unknown> = system === undefined ? {} : { system_prompt: system };
  const hasResponse = mapping.response !== undefined;
  if (!hasResponse || isMulti) Object.assign(questionMetadata, metadata);
  for (const row of rows) {
    row.questionMetadata = questionMetadata;
    row.responseMetadata = hasResponse && !isMulti ? metadata : {};
  }
  if (!hasResponse) return [{ ...make({}), questionMetadata, responseMetadata: {} }];
  return rows;
}
