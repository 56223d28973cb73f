// The judge simulator (a test double): vLLM's formats, request validation, verdicts from the
// containment rule with the configured error rate, faults at the configured rate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distribution } from "./replies";
import { simulatedVerdict, startJudgeSimulator, unit, type TSimulator } from "./simulator";

const prompt = (finalStep: string, reference: string) =>
  `**Question:** q\n**Solution Process (Final Step Only):** ${finalStep}\n**Reference Answer:** ${reference}\n**Output:**`;

let sim: TSimulator;
beforeAll(async () => {
  sim = await startJudgeSimulator({ errorRate: 0 });
});
afterAll(() => sim.close());

const post = (path: string, body: unknown) => fetch(`${sim.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("vLLM's formats", () => {
  it("/v1/models lists the model", async () => {
    const body = await (await fetch(`${sim.url}/models`)).json();
    expect(body).toMatchObject({ object: "list", data: [{ id: "sim-judge", object: "model", owned_by: "vllm", root: "sim-judge", parent: null }] });
    expect(body.data[0].permission[0]).toMatchObject({ object: "model_permission", allow_logprobs: true });
  });

  it("chat: one token, its log-probability and the top list, in vLLM's fields", async () => {
    const res = await post("/chat/completions", { model: "sim-judge", messages: [{ role: "user", content: prompt("It is Paris.", "Paris") }], logprobs: true, top_logprobs: 5 });
    const body = await res.json();
    expect(body).toMatchObject({ object: "chat.completion", model: "sim-judge", prompt_logprobs: null, kv_transfer_params: null });
    expect(body.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    const choice = body.choices[0];
    expect(choice).toMatchObject({ index: 0, message: { role: "assistant", content: "YES", tool_calls: [] }, finish_reason: "stop", stop_reason: null });
    const first = choice.logprobs.content[0];
    expect(first.token).toBe("YES");
    expect(first.bytes).toEqual([89, 69, 83]);
    expect(first.top_logprobs).toHaveLength(5);
    expect(first.top_logprobs[0]).toEqual({ token: "YES", logprob: first.logprob, bytes: [89, 69, 83] });
    expect(body.usage).toEqual({ prompt_tokens: Math.ceil(prompt("It is Paris.", "Paris").length / 4), total_tokens: expect.any(Number), completion_tokens: 1, prompt_tokens_details: null });
  });

  it("completions: the legacy token -> logprob maps", async () => {
    const body = await (await post("/completions", { model: "sim-judge", prompt: prompt("It is Rome.", "Paris"), logprobs: 3 })).json();
    const choice = body.choices[0];
    expect(body.object).toBe("text_completion");
    expect(choice.text).toBe(" NO");
    expect(choice.logprobs.tokens).toEqual([" NO"]);
    expect(Object.keys(choice.logprobs.top_logprobs[0])).toHaveLength(3);
    expect(choice.logprobs.top_logprobs[0][" NO"]).toBe(choice.logprobs.token_logprobs[0]);
  });

  it("no logprobs unless asked", async () => {
    const body = await (await post("/chat/completions", { model: "sim-judge", messages: [{ role: "user", content: "x" }] })).json();
    expect(body.choices[0].logprobs).toBeNull();
  });

  it.each([
    [{ model: "other", messages: [{ role: "user", content: "x" }] }, 404, "The model `other` does not exist."],
    [{ model: "sim-judge" }, 400, "messages: Field required"],
    [{ model: "sim-judge", messages: [{ role: "user", content: "x" }], logprobs: true, top_logprobs: 21 }, 400, "Requested sample logprobs of 21, which is greater than max allowed: 20"],
  ])("refuses %j with %i", async (body, status, message) => {
    const res = await post("/chat/completions", body);
    expect(res.status).toBe(status);
    expect((await res.json()).error.message).toBe(message);
  });
});

describe("its judge", () => {
  it("says YES when a reference alternative is in the final step", () => {
    expect(simulatedVerdict(prompt("They play in Landover, Maryland.", "FedExField | Landover, Maryland"), 1, 0).verdict).toBe("YES");
    expect(simulatedVerdict(prompt("They play in Boston.", "FedExField | Landover, Maryland"), 1, 0).verdict).toBe("NO");
  });

  it("at a temperature above 0 flips a draw with probability temperature x (1 - confidence), and never at 0", () => {
    const unsure = prompt("answer 7", "answer 7");
    const { verdict, p } = simulatedVerdict(unsure, 3, 0);
    const draws = (temperature: number) => Array.from({ length: 4000 }, (_, n) => simulatedVerdict(unsure, 3, 0, { temperature, draw: String(n) }).verdict);
    expect(draws(0).every((v) => v === verdict)).toBe(true);
    const rate = Math.min(0.5, 1.5 * (1 - p));
    const flips = draws(1.5).filter((v) => v !== verdict).length;
    // Binomial(4000, rate): within 4 standard errors.
    expect(Math.abs(flips - 4000 * rate)).toBeLessThan(4 * Math.sqrt(4000 * rate * (1 - rate)) + 1);
  });

  it("errs at the configured rate (0.1 over 4,000 prompts: within 4 standard errors)", () => {
    let wrong = 0;
    for (let i = 0; i < 4000; i++) if (simulatedVerdict(prompt(`answer ${i}`, `answer ${i}`), 3, 0.1).verdict === "NO") wrong++;
    // Binomial(4000, 0.1): sd = sqrt(4000 * 0.1 * 0.9) = 18.97
    expect(Math.abs(wrong - 400)).toBeLessThan(4 * 18.97);
  });

  it("is deterministic per (seed, prompt)", () => {
    expect(simulatedVerdict(prompt("a", "b"), 9, 0.5)).toEqual(simulatedVerdict(prompt("a", "b"), 9, 0.5));
    expect(unit(1, "x")).toBe(unit(1, "x"));
    expect(unit(1, "x")).not.toBe(unit(2, "x"));
  });

  it("the first token's probabilities never exceed 1 in total", () => {
    for (const p of [0.55, 0.8, 0.999]) {
      const total = distribution("YES", p, false).reduce((s, [, q]) => s + q, 0);
      expect(total).toBeLessThanOrEqual(1 + 1e-12);
      expect(total).toBeGreaterThan(0.99);
    }
  });
});

describe("faults", () => {
  it("hit about the configured share of requests (0.25 of 800: within 4 standard errors), each kind drawn", async () => {
    const faulty = await startJudgeSimulator({ faultRate: 0.25, faults: ["500", "503", "empty_choices", "malformed"], seed: 4 });
    try {
      const statuses: number[] = [];
      for (let batch = 0; batch < 800; batch += 16) {
        await Promise.all(
          Array.from({ length: 16 }, async (_, k) => {
            const res = await fetch(`${faulty.url}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "sim-judge", messages: [{ role: "user", content: `q${batch + k}` }] }) });
            statuses.push(res.status);
            await res.text();
          }),
        );
      }
      const faults = Object.values(faulty.stats().faults).reduce((a, b) => a + b, 0);
      // Binomial(800, 0.25): sd = sqrt(800 * 0.25 * 0.75) = 12.25
      expect(Math.abs(faults - 200)).toBeLessThan(4 * 12.25);
      expect(Object.keys(faulty.stats().faults).sort()).toEqual(["500", "503", "empty_choices", "malformed"]);
      expect(statuses.filter((s) => s === 500).length).toBe(faulty.stats().faults["500"]);
    } finally {
      await faulty.close();
    }
  }, 60_000);

  it("429 carries Retry-After", async () => {
    const limited = await startJudgeSimulator({ faultRate: 1, faults: ["429"], retryAfterSeconds: 7 });
    try {
      const res = await fetch(`${limited.url}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "sim-judge", messages: [{ role: "user", content: "q" }] }) });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("7");
    } finally {
      await limited.close();
    }
  });
});
