// What the REST surface answers when the database is out of reach: 503 with a message that says
// so and a Retry-After, instead of the generic 500.
import { describe, expect, it } from "vitest";
import { errorResponse, jsonBody } from "./route";

describe("errorResponse", () => {
  it("answers 503 UNAVAILABLE with Retry-After when the database cannot be reached", async () => {
    const response = errorResponse(new Error("Invalid `prisma.dataset.findMany()` invocation:\n\nCan't reach database server at 127.0.0.1:5432"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({ error: { code: "UNAVAILABLE", message: "The studio cannot reach its database right now. Try again in a moment." } });
  });

  it("answers 422 INVALID when the database refused a value (SQLSTATE class 22)", async () => {
    const refused = Object.assign(new Error('value "99999999999" is out of range for type integer'), { code: "22003" });
    const response = errorResponse(refused);
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe("INVALID");
  });

  it("keeps other unexpected errors a generic 500", async () => {
    const response = errorResponse(new Error("something else"));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: "INTERNAL", message: "Something went wrong." } });
  });
});

describe("jsonBody", () => {
  const post = (body: string) => new Request("http://studio.test/api/v1/exports", { method: "POST", body });

  it("reads a JSON body", async () => {
    expect(await jsonBody(post('{"kind":"flat","datasetId":1}'))).toEqual({ kind: "flat", datasetId: 1 });
  });

  it("answers 422 INVALID, not 500, to a body that is not JSON or is missing", async () => {
    for (const [body, message] of [
      ["{kind: flat", "The request body is not valid JSON."],
      ["", "The request needs a JSON body."],
    ] as const) {
      const error = await jsonBody(post(body)).catch((e: unknown) => e);
      const response = errorResponse(error);
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ error: { code: "INVALID", message } });
    }
  });
});
