// Reading a JSON request body with a size bound: a body over the bound is refused (413) as soon
// as the bound is passed, never buffered whole.
import "server-only";
import { AppError } from "@/lib/errors";

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new AppError("TOO_LARGE", `body: larger than ${maxBytes} bytes`);
  if (!request.body) throw new AppError("INVALID", "body: empty; send a JSON object");
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
  if (size === 0) throw new AppError("INVALID", "body: empty; send a JSON object");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("INVALID", "body: not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("INVALID", `body: not valid JSON (${(error as Error).message})`);
  }
}
