// Reading a JSON request body, for every API route that takes one: a body over the bound is
// refused (413) as soon as the bound is passed, never buffered whole; an empty, non-UTF-8 or
// malformed body is the caller's mistake (422), not a server error.
import "server-only";
import { AppError } from "@/lib/errors";

/** The studio's own routes take small JSON objects (the reward endpoint sets its own, larger bound). */
const DEFAULT_MAX_BYTES = 1024 * 1024;

/** The body's bytes, refused (413) as soon as they pass `maxBytes`, by the declared length or as they stream in. */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new AppError("TOO_LARGE", `body: larger than ${maxBytes} bytes`);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AppError("TOO_LARGE", `body: larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function readJsonBody(request: Request, options: { maxBytes?: number; optional?: boolean } = {}): Promise<unknown> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // `optional`: routes whose every field has a default take an empty body as {}.
  const empty = () => {
    if (options.optional) return {};
    throw new AppError("INVALID", "body: empty; send a JSON object");
  };
  const bytes = await readBodyBytes(request, maxBytes);
  if (bytes.length === 0) return empty();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("INVALID", "body: not valid UTF-8");
  }
  if (text.trim() === "") return empty();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("INVALID", `body: not valid JSON (${(error as Error).message})`);
  }
}
