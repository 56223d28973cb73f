import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodMessage } from "./zod-message";

describe("zodMessage", () => {
  it("names each field once, whether the message names it or not", () => {
    const schema = z.object({ samples: z.number().min(1, "samples: at least 1"), archived: z.boolean({ message: "must be true or false" }), nested: z.object({ n: z.number() }) });
    const result = schema.safeParse({ samples: 0, archived: "yes", nested: { n: "x" } });
    expect(zodMessage(result.error!)).toBe("samples: at least 1; archived: must be true or false; nested.n: Invalid input: expected number, received string");
    expect(zodMessage(z.string().safeParse(3).error!)).toBe("input: Invalid input: expected string, received number");
  });
});
