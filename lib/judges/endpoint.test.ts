// The endpoint client against the judge simulator (a test double speaking vLLM's format): the
// request it sends, the probabilities it reads, and what it does with every fault kind.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Real HTTP on loopback: give a busy machine time.
vi.setConfig({ testTimeout: 30_000 });
import { simulatedVerdict, startJudgeSimulator, type TFault, type TSimulator, type TSimulatorOptions } from "@/scripts/judge-simulator/simulator";
import { BUILTIN_TEMPLATES } from "./templates";
import { ZEndpointSettings, type TEndpointSettingsInput } from "./settings";
import { buildPrompt } from "./templates";
import { judgeOnEndpoint, type TEndpointJudge } from "./endpoint";

const paper = BUILTIN_TEMPLATES[0]!;
const item = { responseId: 1, question: "Where are the Redskins based?", response: "Some thinking.\nThey play in Landover, Maryland.", reference: "FedExField | Landover, Maryland" };
const wrongItem = { ...item, responseId: 2, response: "They play in Boston." };

function judgeFor(sim: TSimulator, settings: Partial<TEndpointSettingsInput> = {}, apiKey: string | null = null): TEndpointJudge {
  return { settings: ZEndpointSettings.parse({ baseUrl: sim.url, model: "sim-judge", retryBaseMs: 5, ...settings }), template: paper, apiKey };
}

async function withSim<T>(options: TSimulatorOptions, fn: (sim: TSimulator) => Promise<T>): Promise<T> {
  const sim = await startJudgeSimulator(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

describe("protocol", () => {
  let sim: TSimulator;
  beforeAll(async () => {
    sim = await startJudgeSimulator({ errorRate: 0, seed: 7 });
  });
  afterAll(() => sim.close());

  it("chat: sends the paper's prompt as one user message with logprobs and reads P(YES), P(NO)", async () => {
    const result = await judgeOnEndpoint(judgeFor(sim, { extraBody: { chat_template_kwargs: { enable_thinking: false } } }), item);
    const body = sim.stats().lastBodies.at(-1) as Record<string, unknown>;
    const prompt = buildPrompt(paper, item, "chat");
    expect(body).toEqual({
      model: "sim-judge",
      messages: [{ role: "user", content: prompt.messages[0]!.content }],
      temperature: 0,
      max_tokens: 8,
      logprobs: true,
      top_logprobs: 20,
      stream: false,
      chat_template_kwargs: { enable_thinking: false },
    });
    expect(prompt.messages[0]!.content).toContain("**Solution Process (Final Step Only):** They play in Landover, Maryland.\n");
    // The simulator's first-token distribution (scripts/judge-simulator/replies.ts): the verdict
    // word and its variants YES, Yes, " YES" share p, lower-case "yes" has 0.005 (1 - p); the other
    // word's variants NO, No, "no" have (0.8 + 0.15 + 0.004)(1 - p).
    const { p } = simulatedVerdict(prompt.messages.map((m) => m.content).join("\n"), 7, 0);
    expect(result.verdict).toBe("YES");
    expect(result.pYes).toBeCloseTo(p + 0.005 * (1 - p), 9);
    expect(result.pNo).toBeCloseTo(0.954 * (1 - p), 9);
    expect(result.softReward).toBeCloseTo(result.pYes!, 12); // Eq. 4 for YES
    expect(result).toMatchObject({ rawOutput: "YES", error: null, errorKind: null, attempts: 1, promptHash: prompt.hash, completionTokens: 1 });
    expect(result.topLogprobs).toHaveLength(20);
  });

  it("completions: sends the raw prompt and reads the token -> logprob maps (leading-space tokens)", async () => {
    const result = await judgeOnEndpoint(judgeFor(sim, { api: "completions", softReward: "renormalized" }), wrongItem);
    const body = sim.stats().lastBodies.at(-1) as Record<string, unknown>;
    expect(body).toMatchObject({ model: "sim-judge", logprobs: 20, temperature: 0, max_tokens: 8 });
    expect(typeof body.prompt).toBe("string");
    expect(body).not.toHaveProperty("messages");
    expect(result.verdict).toBe("NO");
    expect(result.rawOutput).toBe(" NO");
    const { p } = simulatedVerdict(String(body.prompt), 7, 0);
    const pNo = p + 0.005 * (1 - p);
    const pYes = 0.954 * (1 - p);
    expect(result.pNo).toBeCloseTo(pNo, 9);
    expect(result.softReward).toBeCloseTo(pYes / (pYes + pNo), 9);
  });

  it("asks for no log-probabilities when top_logprobs is 0, and then has no soft reward", async () => {
    const result = await judgeOnEndpoint(judgeFor(sim, { topLogprobs: 0 }), item);
    expect(sim.stats().lastBodies.at(-1)).not.toHaveProperty("logprobs");
    expect(result).toMatchObject({ verdict: "YES", pYes: null, pNo: null, softReward: null });
  });

  it("sends the system message of the template version", async () => {
    await judgeOnEndpoint({ ...judgeFor(sim), template: BUILTIN_TEMPLATES[1]! }, item);
    const body = sim.stats().lastBodies.at(-1) as { messages: { role: string; content: string }[] };
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(body.messages[0]!.content).toBe("You are a helpful assistant.");
  });

  it("a wrong model name is refused at once (404, no retry)", async () => {
    const result = await judgeOnEndpoint(judgeFor(sim, { model: "nope" }), item);
    expect(result).toMatchObject({ verdict: null, errorKind: "not_found", attempts: 1 });
    expect(result.error).toBe("HTTP 404: The model `nope` does not exist.");
  });
});

describe("API keys", () => {
  it("sends the key as a bearer token; a wrong or missing key is an auth error, not retried", async () => {
    await withSim({ apiKey: "sk-test" }, async (sim) => {
      expect((await judgeOnEndpoint(judgeFor(sim, {}, "sk-test"), item)).verdict).toBe("YES");
      expect(await judgeOnEndpoint(judgeFor(sim, {}, "wrong"), item)).toMatchObject({ verdict: null, errorKind: "auth", attempts: 1, error: "HTTP 401: Unauthorized" });
      expect((await judgeOnEndpoint(judgeFor(sim), item)).errorKind).toBe("auth");
    });
  });
});

describe("every fault kind", () => {
  it.each([
    ["429", "rate_limited", /^HTTP 429: Too many requests/],
    ["500", "server_error", /^HTTP 500: The engine failed/],
    ["503", "server_error", /^HTTP 503: The server is overloaded/],
    ["slow", "timeout", /^no reply within 300 ms/],
    ["malformed", "malformed_response", /^the reply is not JSON/],
    ["empty_choices", "empty_choices", /^the reply's `choices` list is empty/],
    ["drop", "connection", /^connection failed/],
  ] as const)("%s: retried, then recorded as %s after the last retry", async (fault, kind, message) => {
    await withSim({ faultRate: 1, faults: [fault as TFault], slowMs: 2_000, retryAfterSeconds: 0 }, async (sim) => {
      const result = await judgeOnEndpoint(judgeFor(sim, { retries: 2, timeoutMs: 300 }), item);
      expect(result.verdict).toBeNull();
      expect(result.errorKind).toBe(kind);
      expect(result.error).toMatch(message);
      expect(result.error).toMatch(/\(after 3 attempts\)$/);
      expect(result.attempts).toBe(3);
      expect(sim.stats().faults[fault]).toBe(3);
    });
  });

  it("honours Retry-After on 429 instead of its own (here zero) backoff", async () => {
    await withSim({ faultRate: 1, faults: ["429"], retryAfterSeconds: 1 }, async (sim) => {
      const started = Date.now();
      const result = await judgeOnEndpoint(judgeFor(sim, { retries: 1 }), item, { random: () => 0 });
      expect(result.attempts).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });
  });

  it("recovers when a retry succeeds (faults on 60% of attempts, 10 retries)", async () => {
    await withSim({ faultRate: 0.6, faults: ["500", "503", "malformed", "empty_choices", "drop", "429"], retryAfterSeconds: 0, seed: 3, errorRate: 0 }, async (sim) => {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => judgeOnEndpoint(judgeFor(sim, { retries: 10 }), { ...item, responseId: i, question: `q${i}` })),
      );
      expect(results.every((r) => r.verdict === "YES")).toBe(true);
      expect(results.some((r) => r.attempts > 1)).toBe(true);
      expect(results.reduce((n, r) => n + r.attempts, 0)).toBe(sim.stats().requests);
    });
  });
});

describe("concurrency permits and stopping", () => {
  it("holds a permit only while a request is in flight, not while waiting to retry", async () => {
    await withSim({ faultRate: 1, faults: ["500"] }, async (sim) => {
      const log: string[] = [];
      const permits = { acquire: async () => void log.push("acquire"), release: () => void log.push("release") };
      await judgeOnEndpoint(judgeFor(sim, { retries: 2, retryBaseMs: 20 }), item, { permits });
      expect(log).toEqual(["acquire", "release", "acquire", "release", "acquire", "release"]);
    });
  });

  it("a stop signal aborts a request in flight: the item is left undone, not recorded", async () => {
    await withSim({ latencyMs: 2_000 }, async (sim) => {
      const stop = new AbortController();
      setTimeout(() => stop.abort(new Error("paused")), 100);
      await expect(judgeOnEndpoint(judgeFor(sim), item, { stop: stop.signal })).rejects.toThrow("paused");
    });
  });
});

// Replies no server should send, from a plain HTTP server (not the simulator): each must end as
// a failed or unparseable item that the database can store, without holding the reply in memory.
describe("hostile replies", () => {
  async function withServer<T>(handler: (res: import("node:http").ServerResponse) => void, fn: (url: string) => Promise<T>): Promise<T> {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => handler(res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as import("node:net").AddressInfo;
    try {
      return await fn(`http://127.0.0.1:${port}/v1`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
  const judgeAt = (url: string, settings: Partial<TEndpointSettingsInput> = {}): TEndpointJudge => ({
    settings: ZEndpointSettings.parse({ baseUrl: url, model: "m", retries: 2, retryBaseMs: 1, ...settings }),
    template: paper,
    apiKey: null,
  });
  const hasNul = (result: object) => JSON.stringify(result).includes("\\u0000");

  it("a server quoting the key back (error body, header) has it masked in the stored error and the exchange shown by Test judge", async () => {
    const key = "sk-live-0123456789";
    const exchanges: unknown[] = [];
    const result = await withServer(
      (res) => {
        res.writeHead(401, { "content-type": "application/json", "x-debug-auth": `Bearer ${key}` });
        res.end(JSON.stringify({ error: { message: `Incorrect API key provided: Bearer ${key}` } }));
      },
      (url) => judgeOnEndpoint({ ...judgeAt(url), apiKey: key }, item, { onHttp: (e) => exchanges.push(e) }),
    );
    expect(result).toMatchObject({ errorKind: "auth", error: "HTTP 401: Incorrect API key provided: Bearer ••••••" });
    expect(exchanges).toHaveLength(1);
    expect(JSON.stringify(exchanges)).not.toContain(key);
    expect(JSON.stringify(exchanges)).toContain("Bearer ••••••");
  });

  it("masks the key also where the reply's JSON escapes it, or quotes its first characters", async () => {
    // Standard base64 holds "/", which some servers escape as "\/" in JSON.
    const key = "Zm9vYmFy/cXV4+MTIzNDU2Nzg5MA==";
    for (const quoted of [key.replaceAll("/", "\\/"), `${key.slice(0, 20)}...`]) {
      const result = await withServer(
        (res) => {
          res.writeHead(401, { "content-type": "application/json" });
          res.end(`{"error":{"message":"bad key ${quoted}"}}`);
        },
        (url) => judgeOnEndpoint({ ...judgeAt(url), apiKey: key }, item),
      );
      expect(result.error).toMatch(/^HTTP 401: bad key ••••••/);
      expect(result.error).not.toContain(key.slice(0, 12));
    }
  });

  it("a reply that never ends is dropped at its limit, not held until the timeout, and not retried", async () => {
    let sent = 0;
    const chunk = Buffer.alloc(256 * 1024, "a");
    const result = await withServer(
      (res) => {
        res.writeHead(200, { "content-type": "application/json" });
        const pump = () => {
          while (res.writable && res.write(chunk)) sent += chunk.length;
          if (res.writable) res.once("drain", pump);
        };
        pump();
      },
      (url) => judgeOnEndpoint(judgeAt(url, { timeoutMs: 20_000 }), item),
    );
    expect(result).toMatchObject({ verdict: null, errorKind: "malformed_response", attempts: 1 });
    expect(result.error).toContain(`larger than ${16 * 1024 * 1024} bytes`);
    expect(result.latencyMs!).toBeLessThan(15_000); // well before the timeout
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("a reply announced larger than the limit is refused before it is read", async () => {
    const result = await withServer(
      (res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(100 * 1024 * 1024) });
        res.write("{");
      },
      (url) => judgeOnEndpoint(judgeAt(url), item),
    );
    expect(result).toMatchObject({ verdict: null, errorKind: "malformed_response" });
  });

  it("NUL characters (raw, or escaped in the JSON, or in tokens) and lone surrogates are replaced, since Postgres stores neither", async () => {
    const garbage = await withServer(
      (res) => res.writeHead(200).end("\u0000garbage\u0000"),
      (url) => judgeOnEndpoint(judgeAt(url, { retries: 0 }), item),
    );
    expect(garbage).toMatchObject({ verdict: null, errorKind: "malformed_response" });
    expect(garbage.error).toContain("\uFFFDgarbage");
    expect(hasNul(garbage)).toBe(false);

    const reply = {
      choices: [
        {
          message: { role: "assistant", content: "YES\u0000" },
          logprobs: { content: [{ token: "YES", logprob: -0.1, top_logprobs: [{ token: "YES", logprob: -0.1 }, { token: "\u0000", logprob: -3 }, { token: "\ud83d", logprob: -4 }] }] },
        },
      ],
    };
    const judged = await withServer(
      (res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply)),
      (url) => judgeOnEndpoint(judgeAt(url), item),
    );
    expect(judged.rawOutput).toBe("YES\uFFFD");
    expect(judged.topLogprobs!.map((t) => t.token)).toEqual(["YES", "\uFFFD", "\uFFFD"]); // NUL, and half a surrogate pair (jsonb refuses both)
    expect(hasNul(judged)).toBe(false);
  });
});
