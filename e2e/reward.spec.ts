// The reward endpoint as an RL trainer meets it: an admin creates a token in the UI (shown
// once), the documented examples (a raw request, OpenRLHF's reward_func, verl's compute_score,
// TRL's reward function) get rewards from the studio, every judged response shows up in the
// studio, and the endpoint refuses what it must: no token, wrong scope, revoked token, bad
// bodies, an unknown judge, a judge that is down, and more work than it takes at once.
// Judges here call the judge simulator (a test double in vLLM's format).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { TSimulator } from "../scripts/judge-simulator/simulator";
import { query, screenshot, signIn, simulatorOnFreePort } from "./helpers";

test.describe.configure({ mode: "serial" });

let sim: TSimulator;
let slowSim: TSimulator;
let token = "";
const example = JSON.parse(readFileSync("docs/examples/reward-request.json", "utf8")) as { query: string[]; prompts: string[]; labels: string[] };


async function addJudge(name: string, baseUrl: string, concurrency: number) {
  const settings = { baseUrl, model: "sim-judge", concurrency, retries: 1, retryBaseMs: 10, retryMaxMs: 50, timeoutMs: 3000 };
  await query(
    `INSERT INTO judges (name, kind, size_label, template_version, settings, updated_at) VALUES ($1, 'openai_compatible', '7B', 'paper-v1', $2, now())`,
    [name, JSON.stringify(settings)],
  );
}

/** A token written straight into the database (for scopes the UI test does not cover). */
async function tokenWithScopes(scopes: string[]) {
  const value = `rlvr_${randomBytes(32).toString("base64url")}`;
  const [admin] = await query<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1`);
  await query(`INSERT INTO api_tokens (name, token_hash, prefix, scopes, created_by_id) VALUES ($1, $2, $3, $4, $5)`, [
    `e2e ${scopes.join("+")}`,
    createHash("sha256").update(value).digest("hex"),
    value.slice(0, 11),
    scopes,
    admin!.id,
  ]);
  return value;
}

const post = (request: APIRequestContext, body: unknown, bearer: string | null = token, search = "") =>
  request.post(`/api/v1/reward${search}`, { data: body, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

test.beforeAll(async () => {
  sim = await simulatorOnFreePort({ latencyMs: 5, errorRate: 0, seed: 3 }, 8200);
  slowSim = await simulatorOnFreePort({ latencyMs: 400, errorRate: 0, seed: 4 }, 8200);
  await addJudge("Reward sim 7B", sim.url, 8);
  await addJudge("Slow sim 7B", slowSim.url, 8);
  await addJudge("Down sim 7B", "http://127.0.0.1:9", 8);
});
test.afterAll(async () => {
  await sim?.close();
  await slowSim?.close();
});

test("an admin creates a reward token; it is shown once", async ({ page }) => {
  await signIn(page, "admin", "/admin/tokens");
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  const form = page.getByRole("form", { name: "New API token" });
  await form.getByLabel("Name (who or what uses it)").fill("grpo trainer");
  await expect(form.getByLabel(/^Reward: POST/)).toBeChecked();
  await form.getByLabel("Judge", { exact: true }).selectOption({ label: "Reward sim 7B (7B)" });
  await form.getByLabel("Reward", { exact: true }).selectOption("soft");
  await form.getByRole("button", { name: "Create token" }).click();
  const value = page.getByTestId("token-value");
  await expect(value).toHaveText(/^rlvr_[A-Za-z0-9_-]{43}$/);
  token = (await value.textContent())!;
  await screenshot(page, "tokens-created");
  const row = page.locator('tr[data-token-name="grpo trainer"]');
  await expect(row).toContainText("reward");
  await expect(row).toContainText("soft reward");
  await expect(row).toContainText("never");
  // A token created by mistake and revoked at once is no longer offered for copying.
  await form.getByLabel("Name (who or what uses it)").fill("mistake");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toContainText("“mistake” created");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.locator('tr[data-token-name="mistake"]').getByRole("button", { name: "Revoke" }).click();
  await expect(page.locator('tr[data-token-name="mistake"]').getByTestId("revoked")).toBeVisible();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  // Shown once: after a reload only its prefix is left, and the database holds only a hash.
  await page.reload();
  await expect(page.getByTestId("token-value")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row).toContainText(`${token.slice(0, 11)}…`);
  const [stored] = await query<{ token_hash: string }>(`SELECT token_hash FROM api_tokens WHERE name = 'grpo trainer'`);
  expect(stored!.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
});

test("the documented request gets OpenRLHF's answer", async ({ request }) => {
  const res = await post(request, example, token, "?run=e2e-curl&step=7");
  expect(res.status()).toBe(200);
  const answer = await res.json();
  expect(Object.keys(answer)).toEqual(expect.arrayContaining(["rewards", "scores", "extra_logs"]));
  // The token's defaults: the simulator judge, soft rewards (its P(YES) for a YES, 1 - P(NO) for a NO).
  expect(answer.rewards).toHaveLength(2);
  expect(answer.rewards[0]).toBeGreaterThan(0.5);
  expect(answer.rewards[1]).toBeLessThan(0.5);
  expect(answer.scores).toEqual(answer.rewards);
  expect(answer.extra_logs.judge_yes).toEqual([1, 0]);
  expect(answer.studio).toMatchObject({ dataset: "e2e-curl", step: 7, judge: "Reward sim 7B" });
  // The trainer can also put the token in the URL (OpenRLHF sends no headers of its own).
  const viaUrl = await post(request, { ...example, reward: "binary" }, null, `?token=${token}&run=e2e-curl`);
  expect(viaUrl.status()).toBe(200);
  expect((await viaUrl.json()).rewards).toEqual([1, 0]);
});

test("OpenRLHF, verl and TRL, configured as documented, get rewards from the studio", async ({ baseURL }) => {
  const driver = `
import json, sys, types
sys.path.insert(0, "docs/examples")
# OpenRLHF's reward functions return torch tensors; torch itself is not needed to test the call.
sys.modules["torch"] = types.SimpleNamespace(tensor=lambda v, dtype=None: list(v), float="float")
from openrlhf_reward_func import reward_func
from verl_compute_score import compute_score
from trl_reward import studio_reward
q = json.load(open("docs/examples/reward-request.json"))
question = "Which element has the chemical symbol Fe?"
out = {
  "openrlhf": reward_func(q["query"], q["prompts"], q["labels"]),
  "verl": compute_score(["chem", "chem"], ["Fe is iron.\\nThe answer is iron.", "Fluorine."], ["iron", "iron"], [{"question": question}] * 2),
  "trl": studio_reward([[{"role": "user", "content": question}]] * 2, [[{"role": "assistant", "content": "Iron."}], [{"role": "assistant", "content": "Fluorine."}]], reference=["iron", "iron"]),
}
print(json.dumps(out))
`;
  // Asynchronously: the judge simulator answers from this process's event loop.
  const { stdout: output } = await promisify(execFile)("python3", ["-c", driver], {
    env: { ...process.env, STUDIO_URL: baseURL!, STUDIO_TOKEN: token, STUDIO_RUN: "e2e-python", STUDIO_JUDGE: "Reward sim 7B" },
    encoding: "utf8",
  });
  const out = JSON.parse(output) as { openrlhf: { rewards: number[]; scores: number[]; extra_logs: Record<string, number[]> }; verl: number[]; trl: number[] };
  for (const rewards of [out.openrlhf.rewards, out.verl, out.trl]) {
    expect(rewards).toHaveLength(2);
    expect(rewards[0]).toBeGreaterThan(0.5);
    expect(rewards[1]).toBeLessThan(0.5);
  }
  expect(out.openrlhf.extra_logs.judge_yes).toEqual([1, 0]);
  const [recorded] = await query<{ responses: number; requests: number }>(
    `SELECT (SELECT count(*)::int FROM responses r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'e2e-python') AS responses,
            (SELECT count(*)::int FROM reward_requests q JOIN datasets d ON d.id = q.dataset_id WHERE d.name = 'e2e-python') AS requests`,
  );
  expect(recorded).toEqual({ responses: 6, requests: 3 });
});

test("every judged response shows up in the studio", async ({ page }) => {
  await signIn(page, "viewer", "/datasets");
  await page.getByRole("link", { name: "e2e-python" }).click();
  const requests = page.getByTestId("reward-requests");
  await expect(requests).toContainText("3 requests from the trainer, 6 responses judged");
  await expect(requests.locator("tbody tr")).toHaveCount(3);
  await expect(requests.locator("tbody tr").first()).toContainText("#3");
  await expect(page.getByText("Which element has the chemical symbol Fe?").first()).toBeVisible();
  await screenshot(page, "reward-run-dataset");
  await page.getByRole("main").getByRole("link", { name: "Judgments", exact: true }).click();
  await expect(page.getByTestId("judgments-table")).toBeVisible();
  const table = page.getByTestId("judgments-table");
  await expect(table.locator("tbody tr")).toHaveCount(6);
  // The judge's column, with its verdicts: YES for iron, NO for fluorine.
  await expect(table.locator("thead")).toContainText("Reward sim 7B");
  await expect(table.locator("tbody tr").filter({ hasText: "Fluorine." }).first()).toContainText("NO");
  await expect(table.locator("tbody tr").filter({ hasText: "Iron." }).first()).toContainText("YES");
  await screenshot(page, "reward-run-judgments");
  // Each response says which request of the trainer it came with.
  await table.locator("[data-response-id]").first().getByRole("link").first().click();
  const facts = page.getByTestId("detail-panel").getByTestId("item-facts");
  await expect(facts).toContainText("reward_request");
  const [first] = await query<{ request: number }>(
    `SELECT (r.metadata->>'reward_request')::int AS request FROM responses r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'e2e-python' ORDER BY r.id LIMIT 1`,
  );
  await expect(facts.locator("dt", { hasText: "reward_request" }).locator("xpath=following-sibling::dd[1]")).toHaveText(String(first!.request));
});

test("refuses callers without a valid token of the reward scope", async ({ request, page }) => {
  const anonymous = await post(request, example, null);
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("UNAUTHENTICATED");
  expect((await post(request, example, "rlvr_not-a-real-token")).status()).toBe(401);
  const readOnly = await tokenWithScopes(["read"]);
  const wrongScope = await post(request, example, readOnly);
  expect(wrongScope.status()).toBe(403);
  expect((await wrongScope.json()).error.message).toContain('lacks the "reward" scope');
  // The read token does read, and a reward token does not.
  expect((await request.get("/api/v1/datasets", { headers: { authorization: `Bearer ${readOnly}` } })).status()).toBe(200);
  expect((await request.get("/api/v1/datasets", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(403);

  // Revoked in the UI: refused at once.
  await signIn(page, "admin", "/admin/tokens");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.locator('tr[data-token-name="grpo trainer"]').getByRole("button", { name: "Revoke" }).click();
  await expect(page.locator('tr[data-token-name="grpo trainer"]').getByTestId("revoked")).toBeVisible();
  await expect(page.locator('tr[data-token-name="grpo trainer"]')).not.toContainText("never");
  const revoked = await post(request, example, token);
  expect(revoked.status()).toBe(401);
  token = await tokenWithScopes(["reward"]);
});

test("bad bodies get 422 naming the field, an unknown judge 404, a judge that is down 503", async ({ request }) => {
  const cases: [unknown, RegExp][] = [
    [{ prompts: example.prompts, labels: example.labels, judge: "Reward sim 7B" }, /^query: is required/],
    [{ ...example, labels: ["iron"], judge: "Reward sim 7B" }, /^labels: has 1 items but query has 2/],
    [{ ...example, labels: ["iron", null], judge: "Reward sim 7B" }, /^labels\[1\]: must be a string/],
    [{ ...example, query: ["unrelated", example.query[1]], judge: "Reward sim 7B" }, /^query\[0\]: does not contain prompts\[0\]/],
    [{ ...example, judge: "Reward sim 7B", normalize: "sometimes" }, /^normalize: /],
    [{ ...example }, /^judge: name the judge/],
  ];
  for (const [body, message] of cases) {
    const res = await post(request, body);
    expect(res.status(), JSON.stringify(body).slice(0, 80)).toBe(422);
    expect((await res.json()).error.message).toMatch(message);
  }
  const notJson = await request.post("/api/v1/reward", { data: Buffer.from("{not json"), headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });
  expect(notJson.status()).toBe(422);
  expect((await notJson.json()).error.message).toMatch(/^body: not valid JSON/);

  const unknown = await post(request, { ...example, judge: "No such judge" });
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.message).toContain('no judge "No such judge"');

  const down = await post(request, { ...example, judge: "Down sim 7B", run: "e2e-down" });
  expect(down.status()).toBe(503);
  expect((await down.json()).error.message).toMatch(/could not judge 2 of 2 items \(connection: .*\); nothing was recorded/);
  expect(await query(`SELECT id FROM datasets WHERE name = 'e2e-down'`)).toHaveLength(0);
});

test("pushes back with 429 and Retry-After instead of queueing without bound", async ({ request }) => {
  // The e2e studio admits 64 items at a time (STUDIO_REWARD_MAX_PENDING, scripts/e2e-server.ts).
  const big = { query: Array(48).fill(example.query[0]), prompts: Array(48).fill(example.prompts[0]), labels: Array(48).fill("iron"), judge: "Slow sim 7B", run: "e2e-busy" };
  const first = post(request, big);
  await expect.poll(async () => slowSim.stats().inFlight, { timeout: 10_000 }).toBeGreaterThan(0);
  const refused = await post(request, { ...big, query: big.query.slice(0, 40), prompts: big.prompts.slice(0, 40), labels: big.labels.slice(0, 40) });
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect((await refused.json()).error.message).toMatch(/judging 48 items \(limit 64\)/);
  const done = await first;
  expect(done.status()).toBe(200);
  expect((await done.json()).rewards).toEqual(Array(48).fill(1));
});
