// Identity of imported rows, which makes imports idempotent: a question is its external id, else
// a hash of its text and reference; a response is its external id, else a hash of its policy
// model, sample index and text. Hashing separates fields with NUL so ("ab","c") != ("a","bc").
import { createHash } from "node:crypto";

const hash = (...parts: (string | number)[]) =>
  createHash("sha256").update(parts.map(String).join("\u0000")).digest("hex");

export function questionKey(row: { externalId?: string | null; text: string; reference: string }): string {
  return row.externalId ? `id:${row.externalId}` : `sha256:${hash(row.text, row.reference)}`;
}

export function responseKey(row: {
  externalId?: string | null;
  policyModel: string;
  sampleIndex: number;
  text: string;
}): string {
  return row.externalId ? `id:${row.externalId}` : `sha256:${hash(row.policyModel, row.sampleIndex, row.text)}`;
}
