// What the REST surface answers when the database is out of reach: 503 with a message that says
// so and a Retry-After, instead of the generic 500.
import { describe, expect, it } from "vitest";
import { errorResponse } from "./route";

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
