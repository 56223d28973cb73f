// What Postgres accepts from outside input, checked before it gets there. Every table's id is an
// integer (int4): an id from a URL, a form, a request body or a file above the largest integer
// names no row, and must say so (not found, invalid) instead of reaching the database, which
// refuses the comparison with an error (a 500 where a 404 belongs). Text columns cannot hold the
// NUL character: text with one is refused the same way.
import { z } from "zod";

/** The largest value of a Postgres integer column. */
export const MAX_ROW_ID = 2_147_483_647;

/** A row id given as a number (action and request bodies). */
export const ZRowId = z.number().int().positive().max(MAX_ROW_ID, "no such id");

/** A row id given as text or number (URL path and query parameters, form fields). */
export const ZRowIdParam = z.coerce
  .number({ error: "must be an id (a whole number)" })
  .int("must be an id (a whole number)")
  .positive("must be an id (a whole number from 1)")
  .max(MAX_ROW_ID, "no such id");

/** True when `id` can name a row: a whole number from 1 to the largest integer. */
export const isRowId = (id: number) => Number.isInteger(id) && id >= 1 && id <= MAX_ROW_ID;

/** The row id written in `raw` (digits only, within an integer column's range), else null. */
export function rowIdOf(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^\d{1,10}$/.test(raw)) return null;
  const id = Number(raw);
  return isRowId(id) ? id : null;
}

/** True when `text` can be stored or compared in a text column (it holds no NUL character). */
export const storableText = (text: string) => !text.includes("\u0000");

/** What a caller is told when the database refused a value that got past the checks. */
export const REFUSED_VALUE_MESSAGE = "A value was refused by the database: a number out of range, or text holding a NUL character.";

/**
 * True when `error` is the database refusing a value (SQLSTATE class 22, data exception: a number
 * out of range, NUL in text, a malformed value), not a fault of the studio: the caller's input is
 * what is wrong. From `pg` (its code) or Prisma (the driver adapter's original code, in `meta`).
 */
export function isRefusedValue(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, originalCode, meta } = e as { code?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
    for (const c of [code, originalCode, meta?.driverAdapterError?.cause?.originalCode]) if (typeof c === "string" && /^22[0-9A-Z]{3}$/.test(c)) return true;
  }
  return false;
}
