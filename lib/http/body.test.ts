// Reading JSON request bodies: what callers get back for each kind of bad body, as the routes
// answer it (errorResponse), and that an oversized body is refused before it is buffered whole.
import { describe, expect, it } from "vitest";
import { readJsonBody } from "./body";
import { errorResponse } from "./route";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://studio.test/api/v1/runs", { method: "POST", body, headers, duplex: "half" } as RequestInit);

async function answer(promise: Promise<unknown>) {
  const response = errorResponse(await promise.then(() => new Error("expected a refusal"), (e: unknown) => e));
  return { status: response.status, ...(await response.json()).error };
}

describe("readJsonBody", () => {
  it("reads a JSON body", async () => {
    expect(await readJsonBody(post('{"kind":"flat","datasetId":1}'))).toEqual({ kind: "flat", datasetId: 1 });
  });

  it("answers 422 INVALID, not 500, to a body that is malformed, missing or not UTF-8", async () => {
    expect(await answer(readJsonBody(post("{kind: flat")))).toMatchObject({ status: 422, code: "INVALID", message: expect.stringMatching(/^body: not valid JSON/) });
    expect(await answer(readJsonBody(post("")))).toEqual({ status: 422, code: "INVALID", message: "body: empty; send a JSON object" });
    expect(await answer(readJsonBody(post(null)))).toEqual({ status: 422, code: "INVALID", message: "body: empty; send a JSON object" });
    expect(await answer(readJsonBody(post(new Uint8Array([0x7b, 0xff, 0x7d]))))).toEqual({ status: 422, code: "INVALID", message: "body: not valid UTF-8" });
  });

  it("takes an empty body as {} where every field has a default, and still refuses a malformed one", async () => {
    expect(await readJsonBody(post(""), { optional: true })).toEqual({});
    expect(await readJsonBody(post(null), { optional: true })).toEqual({});
    expect(await readJsonBody(post("  \n"), { optional: true })).toEqual({});
    expect(await answer(readJsonBody(post("{action: pause"), { optional: true }))).toMatchObject({ status: 422, message: expect.stringMatching(/^body: not valid JSON/) });
  });

  it("refuses a body over the bound with 413, by its declared length or as it streams in", async () => {
    const big = "x".repeat(2048);
    expect(await answer(readJsonBody(post(JSON.stringify(big), { "content-length": "2050" }), { maxBytes: 1024 }))).toMatchObject({ status: 413, message: "body: larger than 1024 bytes" });
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512).fill(0x20));
      },
    });
    expect(await answer(readJsonBody(post(stream), { maxBytes: 1024 }))).toMatchObject({ status: 413 });
    expect(pulled).toBeLessThan(10); // an endless body: read only until the bound was passed
  });
});
