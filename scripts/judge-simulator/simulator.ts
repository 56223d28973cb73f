// TEST DOUBLE: a judge simulator, never a judge. It serves /v1/chat/completions,
// /v1/completions and /v1/models in vLLM's format with log-probabilities, so the studio's
// judges, runs, tests and benchmarks exercise the real protocol without a GPU.
//
// Its verdict: YES when a reference alternative ("a | b") appears in the final step (the
// paper's containment baseline, read from the paper template's "**Solution Process...**" and
// "**Reference Answer:**" lines), flipped with probability `errorRate`, so results look like a
// real judge's. Everything random is a function of (seed, prompt, attempt number), so a run gets
// the same verdicts and the same faults whatever the order or concurrency of its requests.
//
// Faults, drawn per request with probability `faultRate` among `faults`:
//   429 (with Retry-After), 500, 503, slow (a reply after `slowMs`: 30 s by default, within a
//   judge's default timeout of 60 s, so the call waits; set the judge's timeout below it to see retries),
//   malformed (a 200 with truncated JSON), empty_choices (a 200 with `choices: []`),
//   drop (the connection closed without a reply).
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contains } from "@/lib/verifier/rule-judges";
import { chatReply, completionReply, errorReply, modelsReply, type TSimVerdict } from "./replies";

export const FAULTS = ["429", "500", "503", "slow", "malformed", "empty_choices", "drop"] as const;
export type TFault = (typeof FAULTS)[number];

export type TSimulatorOptions = {
  port?: number;
  host?: string;
  model?: string;
  latencyMs?: number;
  jitterMs?: number;
  faultRate?: number;
  faults?: TFault[];
  /** how often the judge's verdict is wrong */
  errorRate?: number;
  seed?: number;
  slowMs?: number;
  retryAfterSeconds?: number;
  /** when set, requests need `Authorization: Bearer <apiKey>` (vLLM's --api-key) */
  apiKey?: string;
  /** answer without log-probabilities whatever is asked, as a server without logprobs support does */
  ignoreLogprobs?: boolean;
};

export type TSimulatorStats = {
  requests: number;
  completions: number;
  inFlight: number;
  maxInFlight: number;
  faults: Record<string, number>;
  verdicts: { YES: number; NO: number };
  /** request bodies of the last few calls (for protocol checks in tests) */
  lastBodies: unknown[];
};

export type TSimulator = { url: string; port: number; stats: () => TSimulatorStats; reset: () => void; close: () => Promise<void> };

/** A uniform number in [0, 1) from a key: the first 6 bytes of sha256(seed:key). */
export function unit(seed: number, key: string): number {
  return createHash("sha256").update(`${seed}:${key}`).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The simulated judge's verdict and confidence for a prompt. At a temperature above 0 (`sampled`:
 * the request's temperature and a key for this draw, such as the request's number among those of
 * the same prompt) the verdict also flips with probability temperature x (1 - confidence), at
 * most 1/2: repeated samples of an item the judge is unsure of disagree, as a real judge's do.
 */
export function simulatedVerdict(prompt: string, seed: number, errorRate: number, sampled?: { temperature: number; draw: string }): { verdict: TSimVerdict; p: number } {
  const finalStep = /\*\*Solution Process \(Final Step Only\):\*\*(.*)$/m.exec(prompt)?.[1] ?? "";
  const reference = /\*\*Reference Answer:\*\*(.*)$/m.exec(prompt)?.[1] ?? "";
  const right = reference.split("|").some((r) => r.trim() !== "" && contains(finalStep, r));
  const wrong = unit(seed, `error:${prompt}`) < errorRate;
  const verdict: TSimVerdict = right !== wrong ? "YES" : "NO";
  // Confidence 0.55..0.999, lower when the judge is wrong (as real judges are on their errors).
  const u = unit(seed, `p:${prompt}`);
  const p = wrong ? 0.55 + 0.3 * u : 0.8 + 0.199 * u;
  if (sampled && sampled.temperature > 0 && unit(seed, `sample:${prompt}:${sampled.draw}`) < Math.min(0.5, sampled.temperature * (1 - p))) {
    return { verdict: verdict === "YES" ? "NO" : "YES", p };
  }
  return { verdict, p };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startJudgeSimulator(options: TSimulatorOptions = {}): Promise<TSimulator> {
  const o = {
    host: "127.0.0.1",
    model: "sim-judge",
    latencyMs: 0,
    jitterMs: 0,
    faultRate: 0,
    faults: [...FAULTS],
    errorRate: 0.1,
    seed: 1,
    slowMs: 30_000,
    retryAfterSeconds: 1,
    ...options,
  };
  const created = Math.floor(Date.now() / 1000);
  const attempts = new Map<string, number>();
  const fresh = (): TSimulatorStats => ({ requests: 0, completions: 0, inFlight: 0, maxInFlight: 0, faults: {}, verdicts: { YES: 0, NO: 0 }, lastBodies: [] });
  let stats = fresh();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  async function completion(req: IncomingMessage, res: ServerResponse, api: "chat" | "completions") {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return send(res, 400, errorReply(400, "BadRequestError", "Request body is not valid JSON."));
    }
    stats.lastBodies = [...stats.lastBodies.slice(-9), body];
    if (body.model !== o.model) return send(res, 404, errorReply(404, "NotFoundError", `The model \`${String(body.model)}\` does not exist.`));
    let prompt: string;
    let top: number | null = null;
    if (api === "chat") {
      if (!Array.isArray(body.messages) || body.messages.length === 0) return send(res, 400, errorReply(400, "BadRequestError", "messages: Field required"));
      prompt = (body.messages as { content?: unknown }[]).map((m) => String(m.content ?? "")).join("\n");
      if (body.logprobs === true) top = Number(body.top_logprobs ?? 0);
    } else {
      if (typeof body.prompt !== "string" || body.prompt === "") return send(res, 400, errorReply(400, "BadRequestError", "Either prompt or prompt_embeds must be provided and non-empty."));
      prompt = body.prompt;
      if (typeof body.logprobs === "number") top = body.logprobs;
    }
    if (top !== null && (top < 0 || top > 20)) return send(res, 400, errorReply(400, "BadRequestError", `Requested sample logprobs of ${top}, which is greater than max allowed: 20`));
    if (o.ignoreLogprobs) top = null;

    const n = (attempts.get(prompt) ?? 0) + 1;
    attempts.set(prompt, n);
    const delay = o.latencyMs + (o.jitterMs ? unit(o.seed, `jitter:${prompt}:${n}`) * o.jitterMs : 0);
    const fault = unit(o.seed, `fault:${prompt}:${n}`) < o.faultRate ? o.faults[Math.floor(unit(o.seed, `kind:${prompt}:${n}`) * o.faults.length)] : undefined;
    if (fault) stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
    if (delay > 0) await sleep(delay);

    switch (fault) {
      case "429":
        return send(res, 429, errorReply(429, "RateLimitError", "Too many requests, retry later."), { "retry-after": String(o.retryAfterSeconds) });
      case "500":
        return send(res, 500, errorReply(500, "InternalServerError", "The engine failed on this request."));
      case "503":
        return send(res, 503, errorReply(503, "ServiceUnavailableError", "The server is overloaded."));
      case "drop":
        req.socket.destroy();
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id":"chatcmpl-0","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis');
        return;
      case "empty_choices":
        return send(res, 200, { id: "chatcmpl-0", object: api === "chat" ? "chat.completion" : "text_completion", created, model: o.model, choices: [], usage: { prompt_tokens: 0, total_tokens: 0, completion_tokens: 0, prompt_tokens_details: null } });
      case "slow":
        await sleep(o.slowMs);
        break;
    }
    if (res.destroyed) return;
    const { verdict, p } = simulatedVerdict(prompt, o.seed, o.errorRate, { temperature: Number(body.temperature ?? 0), draw: String(n) });
    stats.completions++;
    stats.verdicts[verdict]++;
    const promptTokens = Math.ceil(prompt.length / 4);
    send(res, 200, api === "chat" ? chatReply(o.model, verdict, p, top, promptTokens) : completionReply(o.model, verdict, p, top, promptTokens, prompt.length));
  }

  const server: Server = createServer((req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let counted = true;
    const done = () => {
      if (counted) stats.inFlight--;
      counted = false;
    };
    res.on("close", done);
    const path = (req.url ?? "/").split("?")[0];
    if (o.apiKey && path !== "/health" && req.headers.authorization !== `Bearer ${o.apiKey}`) return send(res, 401, { error: "Unauthorized" });
    if (req.method === "POST" && path === "/v1/chat/completions") return void completion(req, res, "chat").catch(() => res.destroy());
    if (req.method === "POST" && path === "/v1/completions") return void completion(req, res, "completions").catch(() => res.destroy());
    if (req.method === "GET" && path === "/v1/models") return send(res, 200, modelsReply(o.model, created));
    if (req.method === "GET" && path === "/health") return void res.writeHead(200).end();
    if (req.method === "GET" && path === "/sim/stats") return send(res, 200, stats);
    send(res, 404, { detail: "Not Found" });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host}:${port}/v1`,
    port,
    stats: () => structuredClone(stats),
    reset: () => {
      stats = fresh();
      attempts.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
