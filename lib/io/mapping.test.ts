// The column mapping guessed from a file's column names.
import { describe, expect, it } from "vitest";
import { guessMapping } from "./mapping";

describe("guessMapping", () => {
  it("takes exact names and synonyms, each column once", () => {
    expect(guessMapping(["Question", "reference", "response", "model"])).toEqual({ question: "Question", reference: "reference", response: "response", policy_model: "model" });
    expect(guessMapping(["prompt", "label"])).toEqual({ question: "prompt", reference: "label" });
  });

  it("reads 'answer' as the reference when nothing else names it, and as the response when another column is the reference", () => {
    expect(guessMapping(["question", "answer"])).toEqual({ question: "question", reference: "answer" });
    expect(guessMapping(["prompt", "gold", "answer"])).toEqual({ question: "prompt", reference: "gold", response: "answer" });
    expect(guessMapping(["question", "gold", "answer", "response"])).toEqual({ question: "question", reference: "gold", response: "response" });
  });

  it("maps wide files (answer_<model> columns) as one response per column", () => {
    expect(guessMapping(["question", "golden_answer", "answer_gpt4", "answer_fid"])).toEqual({ question: "question", reference: "golden_answer", response: "answer_*" });
    // A lone "answer" beside them does not take their place.
    expect(guessMapping(["question", "golden_answer", "answer", "answer_gpt4", "answer_fid"])).toEqual({ question: "question", reference: "golden_answer", response: "answer_*" });
  });
});
