import { describe, expect, it } from "vitest";
import { MAX_BATCH, parseRewardBody, ProtocolError, questionFromPrompt, responseFromQuery } from "./protocol";

const chatml = (q: string) => `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

describe("questionFromPrompt", () => {
  it.each([
    ["ChatML (Qwen)", chatml("What is the capital of France?"), "What is the capital of France?"],
    ["Llama 3", "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nName a noble gas.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", "Name a noble gas."],
    ["Gemma", "<bos><start_of_turn>user\nWho wrote Hamlet?<end_of_turn>\n<start_of_turn>model\n", "Who wrote Hamlet?"],
    ["Mistral", "<s>[INST] 2 + 2? [/INST]", "2 + 2?"],
    ["Llama 2 with a system block", "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nWhat is H2O? [/INST]", "What is H2O?"],
    ["plain text", "  Question: why is the sky blue?  ", "Question: why is the sky blue?"],
  ])("%s", (_name, prompt, question) => {
    expect(questionFromPrompt(prompt)).toBe(question);
  });

  it("takes the last user turn of a multi-turn prompt", () => {
    const prompt = `<|im_start|>user\nfirst<|im_end|>\n<|im_start|>assistant\nok<|im_end|>\n<|im_start|>user\nsecond<|im_end|>\n<|im_start|>assistant\n`;
    expect(questionFromPrompt(prompt)).toBe("second");
  });
});

describe("responseFromQuery", () => {
  it("is what the query adds to the prompt, without end-of-turn and padding tokens", () => {
    const p = chatml("q");
    expect(responseFromQuery(`${p}The answer is Paris.<|im_end|><|endoftext|><|endoftext|>`, p)).toBe("The answer is Paris.");
    expect(responseFromQuery(`<|endoftext|><|endoftext|>${p}Paris<|im_end|>`, p)).toBe("Paris");
    expect(responseFromQuery(`${p}Step 1\nStep 2\n`, p)).toBe("Step 1\nStep 2\n");
    expect(responseFromQuery("something else", p)).toBeNull();
  });
});

describe("parseRewardBody", () => {
  const body = (over: Record<string, unknown> = {}) => ({
    query: [`${chatml("Capital of France?")}Paris<|im_end|>`, `${chatml("Capital of France?")}Lyon<|im_end|>`],
    prompts: [chatml("Capital of France?"), chatml("Capital of France?")],
    labels: ["Paris", "Paris"],
    ...over,
  });

  it("reads OpenRLHF's request", () => {
    const r = parseRewardBody(body());
    expect(r.items).toEqual([
      { prompt: chatml("Capital of France?"), question: "Capital of France?", response: "Paris", reference: "Paris" },
      { prompt: chatml("Capital of France?"), question: "Capital of France?", response: "Lyon", reference: "Paris" },
    ]);
    expect(r.options).toEqual({});
    expect(r.run).toBeNull();
    expect(r.step).toBeNull();
  });

  it("takes a GRPO step's batch (1,024 prompts x 16 samples), and refuses a list beyond MAX_BATCH naming the field", () => {
    const n = 16_384;
    const big = parseRewardBody({ query: Array.from({ length: n }, (_, i) => `q${i}`), prompts: Array.from({ length: n }, () => ""), labels: Array.from({ length: n }, () => "x") });
    expect(big.items).toHaveLength(n);
    const over = MAX_BATCH + 1;
    expect(() => parseRewardBody({ query: Array.from({ length: over }, () => "q"), prompts: Array.from({ length: over }, () => ""), labels: Array.from({ length: over }, () => "x") })).toThrow(
      `query: has ${over} items; at most ${MAX_BATCH} per request`,
    );
  });

  it("reads the studio's options, run, step, model and explicit questions", () => {
    const r = parseRewardBody(body({ judge: "RM-7B", reward: "soft", normalize: "group", final_step: false, run: "grpo-1", step: "12", model: "qwen-7b", questions: ["Q1", "Q2"], labels: [42, "Paris"] }));
    expect(r.options).toEqual({ judge: "RM-7B", reward: "soft", normalize: "group", finalStep: false });
    expect(r).toMatchObject({ run: "grpo-1", step: 12, model: "qwen-7b" });
    expect(r.items.map((i) => i.question)).toEqual(["Q1", "Q2"]);
    expect(r.items[0]!.reference).toBe("42");
  });

  const fieldOf = (b: unknown) => {
    try {
      parseRewardBody(b);
    } catch (error) {
      if (error instanceof ProtocolError) return error.message;
      throw error;
    }
    return "no error";
  };

  it.each([
    ["not an object", [1, 2], /^body: /],
    ["no query", { prompts: ["a"], labels: ["b"] }, /^query: is required/],
    ["query not a list", { query: "a", prompts: ["a"], labels: ["b"] }, /^query: must be a list/],
    ["empty query", { query: [], prompts: [], labels: [] }, /^query: is empty/],
    ["labels missing", { query: ["ab"], prompts: ["a"] }, /^labels: is required/],
    ["lengths differ", { query: ["ab", "ac"], prompts: ["a"], labels: ["b", "c"] }, /^prompts: has 1 items but query has 2/],
    ["a null label", { query: ["ab", "ac"], prompts: ["a", "a"], labels: ["b", null] }, /^labels\[1\]: must be a string, not null/],
    ["an empty label", { query: ["ab"], prompts: ["a"], labels: [" "] }, /^labels\[0\]: is empty/],
    ["query without its prompt", { query: ["xyz"], prompts: ["a"], labels: ["b"] }, /^query\[0\]: does not contain prompts\[0\]/],
    ["bad reward kind", { query: ["ab"], prompts: ["a"], labels: ["b"], reward: "fuzzy" }, /^reward: must be "binary" or "soft"$/],
    ["bad final step", { query: ["ab"], prompts: ["a"], labels: ["b"], final_step: 1 }, /^final_step: must be true or false$/],
    ["bad normalize", { query: ["ab"], prompts: ["a"], labels: ["b"], normalize: "sometimes" }, /^normalize: /],
    ["negative step", { query: ["ab"], prompts: ["a"], labels: ["b"], step: -1 }, /^step: /],
    ["unknown option", { query: ["ab"], prompts: ["a"], labels: ["b"], run: "" }, /^run: /],
  ])("names the field: %s", (_name, b, message) => {
    expect(fieldOf(b)).toMatch(message);
  });
});
