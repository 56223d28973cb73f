// Identity of imported rows, which makes imports idempotent: a question is its external id, else
// a hash of its text and reference; a response is its external id, else a hash of its policy
// model, sample index and text. Hashing separates fields with NUL so ("ab","c") != ("a","bc").
import { hash as oneShot } from "node:crypto";

// crypto.hash is the one-shot form of createHash(...).update(...).digest(): the same digest
// without a Hash object per call, which the importer makes two of per row.
const hash = (...parts: (string | number)[]) => oneShot("sha256", parts.join("\u0000"), "hex");

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
