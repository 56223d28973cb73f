// Judges on an inference endpoint, end to end on the demo data against the judge simulator (a
// test double in vLLM's format, started here): a researcher registers the endpoint and tests it,
// edits its template as a new version with a preview, a researcher runs it over the dataset
// from the browser and watches it finish, pauses and resumes another run, and the database holds
// exactly one judgment per item with soft rewards. The app's own worker (started by the
// launcher in demo mode) does the judging.
import { expect, test, type Request } from "@playwright/test";
import type { TSimulator } from "../scripts/judge-simulator/simulator";
import type { Page } from "@playwright/test";
import { demoDatasetId, query, screenshot as keep, signIn, simulatorOnFreePort } from "./helpers";

/** Screenshots from the top of the page (the sticky header would otherwise float mid-page). */
async function screenshot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await keep(page, name);
}

test.describe.configure({ mode: "serial" });

let sim: TSimulator;
let slowSim: TSimulator;


test.beforeAll(async () => {
  sim = await simulatorOnFreePort({ latencyMs: 2, errorRate: 0.1, seed: 11 });
  // Slower, and failing now and then, so a run can be paused and shows errors by kind.
  slowSim = await simulatorOnFreePort({ latencyMs: 60, errorRate: 0.1, seed: 12, faultRate: 0.08, faults: ["500", "malformed", "empty_choices"] });
});
test.afterAll(async () => {
  await sim?.close();
  await slowSim?.close();
});

const judgeRow = async (name: string) => (await query<{ id: number; template_version: string; settings: Record<string, unknown> }>(`SELECT id, template_version, settings FROM judges WHERE name = $1`, [name]))[0];

test("a researcher registers a vLLM endpoint and tests it on a real item", async ({ page }) => {
  await signIn(page, "researcher", "/judges");
  await expect(page.getByRole("heading", { name: "Judges" })).toBeVisible();
  await screenshot(page, "judges-list");
  await page.getByRole("link", { name: "New judge" }).click();
  const form = page.getByRole("form", { name: "New judge" });
  await form.getByLabel("Name", { exact: true }).fill("Sim 7B");
  await form.getByLabel("Size label").fill("7B");
  await form.getByLabel("Base URL").fill(sim.url);
  await form.getByLabel("Model", { exact: false }).first().fill("sim-judge");
  await form.getByLabel("API key (stored encrypted; optional)").fill("sk-local-test-key");
  await form.getByLabel("Concurrency").fill("8");
  await screenshot(page, "judge-new");
  await form.getByRole("button", { name: "Create judge" }).click();
  await expect(page.getByRole("heading", { name: "Sim 7B" })).toBeVisible();

  const row = await judgeRow("Sim 7B");
  expect(row!.template_version).toBe("paper-v1");
  expect(row!.settings).toMatchObject({ baseUrl: sim.url, model: "sim-judge", concurrency: 8, temperature: 0, topLogprobs: 20 });
  const [stored] = await query<{ key: string }>(`SELECT api_key_encrypted AS key FROM judges WHERE name = 'Sim 7B'`);
  expect(stored!.key).toMatch(/^v1\./);
  expect(JSON.stringify(row!.settings)).not.toContain("sk-local-test-key");
  // The key never comes back to the browser.
  await expect(page.locator("body")).not.toContainText("sk-local-test-key");
  expect(await page.content()).not.toContain("sk-local-test-key");

  await page.getByRole("button", { name: "Test judge" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toBeVisible({ timeout: 20_000 });
  await expect(result.getByTestId("test-p-yes")).toHaveText(/^0\.\d{3}$/);
  await expect(result.getByTestId("test-softless")).toHaveCount(0);
  await expect(result.getByTestId("test-latency")).toHaveText(/^\d+ ms$/);
  await result.getByText("Raw HTTP exchange").click();
  await expect(result.getByTestId("raw-response")).toContainText('"object": "chat.completion"');
  await expect(result.getByTestId("raw-request")).toContainText("authorization: Bearer ••••••");
  await expect(result.getByTestId("raw-request")).not.toContainText("sk-local-test-key");
  await screenshot(page, "judge-test");
});

test("a researcher edits the template as a new version, with a preview filled with a real item", async ({ page }) => {
  const row = await judgeRow("Sim 7B");
  await signIn(page, "researcher", `/judges/${row!.id}`);
  await page.getByRole("button", { name: "Preview with a real item" }).click();
  const preview = page.getByTestId("template-preview");
  await expect(preview).toContainText("**Solution Process (Final Step Only):**");
  await expect(preview).toContainText("**Reference Answer:**");
  await page.getByRole("button", { name: "Edit as a new version" }).click();
  const text = page.getByLabel("Template text");
  await text.fill((await text.inputValue()).replace("**Output:**", "**Your verdict (YES or NO):**"));
  await expect(preview).toContainText("**Your verdict (YES or NO):**");
  await screenshot(page, "judge-template-edit");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByTestId("template-version")).toHaveText("sim-7b-v1");
  const [version] = await query<{ body: string; based_on: string }>(`SELECT body, based_on FROM judge_templates WHERE version = 'sim-7b-v1'`);
  expect(version!.body).toContain("**Your verdict (YES or NO):**");
  expect(version!.based_on).toBe("paper-v1");
  // Back to the paper's template for the run.
  await page.getByLabel("Or use another version").selectOption("paper-v1");
  await page.getByRole("button", { name: "Use this version" }).click();
  await expect(page.getByTestId("template-version")).toHaveText("paper-v1");
  // The settings form beside it still shows the version it was loaded with: a save from it is
  // refused rather than putting that version back.
  const settings = page.getByRole("form", { name: "Judge settings" });
  await settings.getByLabel("Concurrency").fill("9");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings).toContainText("This judge was changed meanwhile by Demo researcher");
  expect((await judgeRow("Sim 7B"))!.template_version).toBe("paper-v1");
  // Reloaded, it shows the judge as it is, and saves.
  await page.reload();
  await page.getByRole("form", { name: "Judge settings" }).getByLabel("Concurrency").fill("9");
  await page.getByRole("form", { name: "Judge settings" }).getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("form", { name: "Judge settings" })).toContainText("Saved.");
  await expect.poll(async () => ((await judgeRow("Sim 7B"))!.settings as { concurrency: number }).concurrency).toBe(9);
  expect((await judgeRow("Sim 7B"))!.template_version).toBe("paper-v1");
  await page.getByRole("form", { name: "Judge settings" }).getByLabel("Concurrency").fill("8");
  await page.getByRole("form", { name: "Judge settings" }).getByRole("button", { name: "Save settings" }).click();
  await expect.poll(async () => ((await judgeRow("Sim 7B"))!.settings as { concurrency: number }).concurrency).toBe(8);
});

test("a researcher runs the judge over the demo dataset from the browser and watches it finish", async ({ page }) => {
  const dataset = await demoDatasetId();
  const row = await judgeRow("Sim 7B");
  await signIn(page, "researcher", `/judges/${row!.id}`);
  await page.getByRole("link", { name: "Run this judge" }).click();
  const form = page.getByRole("form", { name: "New run" });
  await form.getByRole("combobox", { name: "Dataset" }).selectOption(String(dataset));
  await expect(form.getByRole("checkbox", { name: /Sim 7B/ })).toBeChecked();
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = Number(page.url().split("/").at(-1));
  await expect(page.getByTestId("run-status")).toHaveText(/queued|running|completed/);
  await screenshot(page, "run-live");
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 120_000 });
  await expect(page.getByTestId("run-counts")).toContainText("1,490 judged · 0 failed · 0 remaining of 1,490");
  await expect(page.getByTestId("run-settings")).toContainText("paper-v1");
  await expect(page.getByTestId("run-softless")).toHaveCount(0); // every verdict came with its probabilities
  await expect(page.getByTestId("run-off-position")).toHaveCount(0);
  await screenshot(page, "run-completed");

  const [counts] = await query<{ n: number; distinct: number; soft: number; run: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT response_id)::int AS distinct, count(soft_reward)::int AS soft,
            count(*) FILTER (WHERE run_id = $2)::int AS run
     FROM judgments WHERE judge_id = $1`,
    [row!.id, runId],
  );
  expect(counts).toEqual({ n: 1490, distinct: 1490, soft: 1490, run: 1490 });
  const [run] = await query<{ status: string; done: number; total: number }>(`SELECT status::text, done, total FROM judge_runs WHERE id = $1`, [runId]);
  expect(run).toEqual({ status: "completed", done: 1490, total: 1490 });

  // The new judge appears in the judgments list and the runs list.
  await page.goto(`/judgments?dataset=${dataset}`);
  await expect(page.getByRole("columnheader", { name: /Sim 7B/ })).toBeVisible();
  await page.goto("/runs");
  await expect(page.getByTestId("runs-table")).toContainText("Sim 7B");
  await expect(page.getByTestId("workers-online")).toContainText("worker");
  await screenshot(page, "runs-list");
});

test("a run on an endpoint that sends no log-probabilities says its verdicts have no soft reward", async ({ page }) => {
  test.setTimeout(180_000);
  // A server without logprobs support (the simulator told to ignore the request), as Sim 7B otherwise.
  const deaf = await simulatorOnFreePort({ latencyMs: 0, errorRate: 0.1, seed: 13, ignoreLogprobs: true });
  try {
    const [judge] = await query<{ id: number }>(
      `INSERT INTO judges (name, kind, size_label, settings, template_version)
       SELECT 'No-logprobs endpoint', kind, size_label, settings || jsonb_build_object('baseUrl', $1::text), template_version FROM judges WHERE name = 'Sim 7B'
       RETURNING id`,
      [deaf.url],
    );
    await signIn(page, "researcher", `/judges/${judge!.id}`);
    // Test judge says it at once, before any run.
    await page.getByRole("button", { name: "Test judge" }).click();
    await expect(page.getByTestId("test-softless")).toContainText("The reply held no log-probabilities, so this verdict has no soft reward");
    await page.getByRole("link", { name: "Run this judge" }).click();
    const form = page.getByRole("form", { name: "New run" });
    await form.getByRole("combobox", { name: "Dataset" }).selectOption(String(await demoDatasetId()));
    await form.getByRole("button", { name: "Start run" }).click();
    await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 150_000 });
    await expect(page.getByTestId("run-softless")).toContainText("200 of the latest 200 verdicts came without log-probabilities, so without a soft reward");
    await expect(page.getByTestId("run-off-position")).toHaveCount(0);
    await expect(page.getByTestId("run-counts")).toContainText("1,490 judged · 0 failed");
    await screenshot(page, "run-without-logprobs");
  } finally {
    await deaf.close();
  }
});

test("pause stops a run, resume finishes it; a viewer cannot pause", async ({ page, browser }) => {
  // The run waits up to 120 s to finish (1,490 items at 60 ms on a busy machine): the test may too.
  test.setTimeout(240_000);
  const dataset = await demoDatasetId();
  // A second judge on a slower endpoint, so there is time to pause.
  await signIn(page, "admin", "/judges/new");
  const form = page.getByRole("form", { name: "New judge" });
  await form.getByLabel("Name", { exact: true }).fill("Sim slow");
  await form.getByLabel("Base URL").fill(slowSim.url);
  await form.getByLabel("Model", { exact: false }).first().fill("sim-judge");
  await form.getByLabel("Concurrency").fill("4");
  await form.getByLabel("Retries").fill("0");
  await form.getByRole("button", { name: "Create judge" }).click();
  await expect(page.getByRole("heading", { name: "Sim slow" })).toBeVisible();
  const judge = await judgeRow("Sim slow");

  await signIn(page, "researcher", `/runs/new?judge=${judge!.id}`);
  await page.getByRole("form", { name: "New run" }).getByRole("combobox", { name: "Dataset" }).selectOption(String(dataset));
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = Number(page.url().split("/").at(-1));
  await expect.poll(async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM judgments WHERE run_id = $1`, [runId]))[0]!.n, { timeout: 30_000 }).toBeGreaterThan(50);

  const sent = page.waitForRequest((r: Request) => r.method() === "POST" && !!r.headers()["next-action"]);
  await page.getByRole("button", { name: "Pause" }).click();
  const action = await sent;
  await expect(page.getByTestId("run-status")).toHaveText("paused");
  await page.waitForTimeout(1500);
  const [paused] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM judgments WHERE run_id = $1`, [runId]);
  await page.waitForTimeout(1500);
  const [still] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM judgments WHERE run_id = $1`, [runId]);
  expect(still!.n).toBe(paused!.n);
  expect(paused!.n).toBeLessThan(1490);
  await screenshot(page, "run-paused");

  // A viewer sees the run without controls, and replaying the researcher's action is refused.
  const viewer = await browser.newPage();
  await signIn(viewer, "viewer", `/runs/${runId}`);
  await expect(viewer.getByTestId("run-status")).toHaveText("paused");
  await expect(viewer.getByRole("button", { name: /Pause|Resume|Cancel/ })).toHaveCount(0);
  const replay = await viewer.request.post(action.url(), {
    headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
    data: action.postData() ?? "",
  });
  expect(await replay.text()).toContain("FORBIDDEN");
  await viewer.close();

  // The judge cannot be archived while its run is paused: its page says why.
  await page.goto(`/judges/${judge!.id}`);
  await expect(page.getByTestId("archive-blocked")).toHaveText(`Run ${runId} is paused: cancel it, or let it finish, first.`);
  await expect(page.getByRole("button", { name: "Archive judge" })).toBeDisabled();
  await page.goto(`/runs/${runId}`);

  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 120_000 });
  // Every item has exactly one judgment: a verdict, or (no retries here) the fault it met.
  const [counts] = await query<{ n: number; distinct: number; failed: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT response_id)::int AS distinct, count(*) FILTER (WHERE verdict IS NULL)::int AS failed FROM judgments WHERE judge_id = $1`,
    [judge!.id],
  );
  expect(counts!.n).toBe(1490);
  expect(counts!.distinct).toBe(1490);
  expect(counts!.failed).toBeGreaterThan(0);
  const [run] = await query<{ done: number; failed: number }>(`SELECT done, failed FROM judge_runs WHERE id = $1`, [runId]);
  expect(run).toEqual({ done: 1490 - counts!.failed, failed: counts!.failed });
  const errors = page.getByTestId("run-errors");
  await expect(errors).toContainText("Server error (5xx)");
  await expect(errors).toContainText("HTTP 500: The engine failed on this request.");
  await expect(errors).toContainText("Malformed reply");
  await expect(page.getByTestId("run-counts")).toContainText(`${counts!.failed} failed`);
  await screenshot(page, "run-with-errors");

  // The failed items, and only they, are judged again by a new run; still one judgment per item.
  await page.getByRole("button", { name: counts!.failed === 1 ? "Judge the failed item again" : `Judge the ${counts!.failed} failed items again` }).click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByTestId("run-counts")).toContainText(`remaining of ${counts!.failed}`);
  const [after] = await query<{ n: number; failed: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE verdict IS NULL)::int AS failed FROM judgments WHERE judge_id = $1`, [judge!.id]);
  expect(after!.n).toBe(1490);
  expect(after!.failed).toBeLessThan(counts!.failed);
  // The first run no longer offers to judge them again: the new run has judged every one of them.
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  await expect(page.getByRole("button", { name: /failed items? again/ })).toHaveCount(0);
});

test("viewers read judges without secrets; only researchers and admins reach the new-judge page", async ({ page }) => {
  await signIn(page, "viewer", "/judges");
  await expect(page.getByTestId("judges-table")).toContainText("Sim 7B");
  await expect(page.getByTestId("judges-table")).toContainText("stored, encrypted");
  await expect(page.getByRole("link", { name: "New judge" })).toHaveCount(0);
  await screenshot(page, "judges-list-viewer");
  const api = await page.request.get("/api/v1/judges");
  const body = await api.text();
  expect(api.status()).toBe(200);
  expect(body).toContain("Sim 7B");
  expect(body).not.toContain("sk-local-test-key");
  expect(body).not.toMatch(/apiKeyEncrypted|api_key_encrypted/);
  const row = await judgeRow("Sim 7B");
  await page.goto(`/judges/${row!.id}`);
  await expect(page.getByRole("button", { name: "Test judge" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit as a new version" })).toHaveCount(0);
  await expect(page.getByTestId("judge-settings")).toContainText("sim-judge");
  expect(await page.content()).not.toContain("sk-local-test-key");
  const denied = await page.goto("/judges/new");
  expect(denied?.status()).toBe(403);
  await page.goto("/runs/new");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});

/** Records the next server action a page sends, to replay it with other sessions. */
async function recordAction(page: Page, act: () => Promise<void>) {
  const sent = page.waitForRequest((r: Request) => r.method() === "POST" && !!r.headers()["next-action"]);
  await act();
  const action = await sent;
  return (other: Page["request"]) =>
    other.post(action.url(), {
      headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: action.postData() ?? "",
      maxRedirects: 0,
      failOnStatusCode: false,
    });
}

test("judge and run actions refuse lower roles and nobody", async ({ page, browser }) => {
  const dataset = await demoDatasetId();
  // Researchers and admins: creating a judge.
  await signIn(page, "researcher", "/judges/new");
  const form = page.getByRole("form", { name: "New judge" });
  await form.getByLabel("Name", { exact: true }).fill("Replay probe");
  await form.getByLabel("Base URL").fill(sim.url);
  await form.getByLabel("Model", { exact: false }).first().fill("sim-judge");
  const createJudge = await recordAction(page, () => form.getByRole("button", { name: "Create judge" }).click());
  await expect(page.getByRole("heading", { name: "Replay probe" })).toBeVisible();
  const probe = await judgeRow("Replay probe");

  // Researcher: testing a judge and starting a run.
  await signIn(page, "researcher", `/judges/${probe!.id}`);
  const testJudge = await recordAction(page, () => page.getByRole("button", { name: "Test judge" }).click());
  await expect(page.getByTestId("test-result")).toBeVisible({ timeout: 20_000 });
  // A link whose filter cannot be read says so (it would otherwise take the whole dataset).
  await page.goto(`/runs/new?judge=${probe!.id}&dataset=${dataset}&verdict=zz`);
  await expect(page.getByTestId("filter-unreadable")).toContainText("The filter in this link cannot be read");
  // A filter that selects a few responses (a run over none is refused).
  await page.goto(`/runs/new?judge=${probe!.id}&dataset=${dataset}&q=kelvin`);
  await expect(page.getByTestId("filter-unreadable")).toHaveCount(0);
  const startRun = await recordAction(page, () => page.getByRole("button", { name: "Start run" }).click());
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  const runsBefore = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM judge_runs WHERE judge_id = $1`, [probe!.id]))[0]!.n;
  const requestsBefore = sim.stats().requests;

  for (const role of ["viewer", "expert"] as const) {
    const other = await browser.newPage();
    await signIn(other, role);
    expect(await (await createJudge(other.request)).text(), `create judge as ${role}`).toContain("FORBIDDEN");
    expect(await (await testJudge(other.request)).text(), `test judge as ${role}`).toContain("FORBIDDEN");
    expect(await (await startRun(other.request)).text(), `start run as ${role}`).toContain("FORBIDDEN");
    await other.close();
  }
  const anonymous = await browser.newContext();
  for (const replay of [createJudge, testJudge, startRun]) expect(await (await replay(anonymous.request)).text()).not.toContain('"ok":true');
  await anonymous.close();

  expect((await query<{ n: number }>(`SELECT count(*)::int AS n FROM judges WHERE name = 'Replay probe'`))[0]!.n).toBe(1);
  expect((await query<{ n: number }>(`SELECT count(*)::int AS n FROM judge_runs WHERE judge_id = $1`, [probe!.id]))[0]!.n).toBe(runsBefore);
  expect(sim.stats().requests).toBe(requestsBefore); // refused tests called nothing
});

test("a researcher archives a judge out of the way and restores it; lower roles cannot", async ({ page, browser }) => {
  const dataset = await demoDatasetId();
  const probe = await judgeRow("Replay probe"); // made, and run over a few items, by the test above
  await signIn(page, "researcher", `/judges/${probe!.id}`);
  await expect(page.getByTestId("archive-section")).toBeVisible();
  const archive = await recordAction(page, () => page.getByRole("button", { name: "Archive judge" }).click());
  await expect(page.getByTestId("judge-archived")).toContainText("Archived");
  await expect(page.getByRole("link", { name: "Run this judge" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Test judge" })).toHaveCount(0);
  await screenshot(page, "judge-archived");

  // Out of the list of judges in use, the judgments list's columns and the run form.
  await page.goto("/judges");
  await expect(page.getByTestId("judges-table")).not.toContainText("Replay probe");
  await page.getByTestId("archived-judges").getByText(/Archived judges \(\d+\)/).click();
  await expect(page.getByTestId("archived-judges-table")).toContainText("Replay probe");
  await page.goto(`/judgments?dataset=${dataset}`);
  await expect(page.getByRole("columnheader", { name: /Sim 7B/ })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: /Replay probe/ })).toHaveCount(0);
  // A link whose filter names it says why it matches nothing.
  await page.goto(`/judgments?dataset=${dataset}&verdict=${probe!.id}:YES`);
  await expect(page.getByTestId("filter-judges-outside")).toContainText("This filter names Replay probe, which is archived: the list reads it as having judged nothing here");
  await page.goto(`/analytics/calibration?dataset=${dataset}&judge=${probe!.id}`);
  await expect(page.getByTestId("judges-outside")).toHaveText("This link names Replay probe, which is archived: the figures below are of another judge.");
  await page.goto(`/runs/new?dataset=${dataset}`);
  await expect(page.getByRole("form", { name: "New run" }).getByRole("checkbox", { name: /Sim 7B/ })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: /Replay probe/ })).toHaveCount(0);
  // Its judgments are kept.
  const kept = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM judgments WHERE judge_id = $1`, [probe!.id]))[0]!.n;
  expect(kept).toBeGreaterThan(0);

  // Restoring it is refused to viewers and experts: the researcher's archive action, replayed as them.
  await page.goto(`/judges/${probe!.id}`);
  const restore = await recordAction(page, () => page.getByRole("button", { name: "Restore judge" }).click());
  await expect(page.getByTestId("judge-archived")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Run this judge" })).toBeVisible();
  for (const role of ["viewer", "expert"] as const) {
    const other = await browser.newPage();
    await signIn(other, role);
    expect(await (await archive(other.request)).text(), `archive as ${role}`).toContain("FORBIDDEN");
    expect(await (await restore(other.request)).text(), `restore as ${role}`).toContain("FORBIDDEN");
    await other.close();
  }
  const [row] = await query<{ archived: boolean }>(`SELECT archived_at IS NOT NULL AS archived FROM judges WHERE id = $1`, [probe!.id]);
  expect(row!.archived).toBe(false);
  await page.goto(`/judgments?dataset=${dataset}`);
  await expect(page.getByRole("columnheader", { name: /Replay probe/ })).toBeVisible();
  expect((await query<{ n: number }>(`SELECT count(*)::int AS n FROM judgments WHERE judge_id = $1`, [probe!.id]))[0]!.n).toBe(kept);

  // The same over REST, for scripts.
  const archived = await page.request.patch(`/api/v1/judges/${probe!.id}`, { data: { archived: true } });
  expect((await archived.json()).data).toMatchObject({ id: probe!.id, name: "Replay probe", archivedAt: expect.any(String) });
  expect((await (await page.request.get(`/api/v1/judges/${probe!.id}`)).json()).data.archivedAt).not.toBeNull();
  const refused = await page.request.post("/api/v1/runs", { data: { dataset: dataset, judges: ["Replay probe"] }, failOnStatusCode: false });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error.message).toBe('judge "Replay probe" is archived: restore it on its page (Judges) to use it again');
  const bad = await page.request.patch(`/api/v1/judges/${probe!.id}`, { data: { archived: "yes" }, failOnStatusCode: false });
  expect(bad.status()).toBe(422);
  expect((await (await page.request.patch(`/api/v1/judges/${probe!.id}`, { data: { archived: false } })).json()).data.archivedAt).toBeNull();
});

test("a run with several samples per item feeds the self-consistency view; a judge at temperature 0 is told it cannot", async ({ page }) => {
  const dataset = await demoDatasetId();
  await signIn(page, "researcher", "/judges/new");
  const form = page.getByRole("form", { name: "New judge" });
  await form.getByLabel("Name", { exact: true }).fill("Sim 7B warm");
  await form.getByLabel("Base URL").fill(sim.url);
  await form.getByLabel("Model", { exact: false }).first().fill("sim-judge");
  await form.getByLabel("Temperature").fill("1.5");
  await form.getByRole("button", { name: "Create judge" }).click();
  await expect(page.getByRole("heading", { name: "Sim 7B warm" })).toBeVisible();
  const warm = await judgeRow("Sim 7B warm");
  const greedy = await judgeRow("Sim 7B");

  // A few items (a text filter), three samples each.
  await page.goto(`/runs/new?judge=${greedy!.id}&dataset=${dataset}&q=kelvin`);
  const runForm = page.getByRole("form", { name: "New run" });
  await runForm.getByLabel("Samples per item").fill("3");
  await expect(page.getByTestId("samples-problem")).toContainText("Sim 7B samples at temperature 0");
  await expect(runForm.getByRole("button", { name: "Start run" })).toBeDisabled();
  const box = (name: string) => runForm.locator("label").filter({ has: page.getByText(name, { exact: true }) }).getByRole("checkbox");
  await box("Sim 7B warm").check();
  await box("Sim 7B").uncheck();
  await expect(page.getByTestId("samples-problem")).toHaveCount(0);
  await screenshot(page, "run-new-samples");
  await runForm.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  await expect(page.getByTestId("run-status")).toHaveText("completed", { timeout: 60_000 });
  await expect(page.getByTestId("run-settings")).toContainText("3 (the counts above are of judgments)");

  const [stored] = await query<{ items: number; judgments: number; samples: number[] }>(
    `SELECT count(DISTINCT response_id)::int AS items, count(*)::int AS judgments, array_agg(DISTINCT sample ORDER BY sample) AS samples FROM judgments WHERE judge_id = $1`,
    [warm!.id],
  );
  expect(stored!.items).toBeGreaterThan(0);
  expect(stored!.judgments).toBe(3 * stored!.items);
  expect(stored!.samples).toEqual([0, 1, 2]);
  await expect(page.getByTestId("run-counts")).toContainText(`${stored!.judgments} judged`);

  // The view counts the items whose samples disagree, as the database holds them.
  const [flips] = await query<{ flipped: number }>(
    `SELECT count(*)::int AS flipped FROM (SELECT response_id FROM judgments WHERE judge_id = $1 GROUP BY response_id HAVING count(DISTINCT verdict) FILTER (WHERE verdict IN ('YES', 'NO')) > 1) x`,
    [warm!.id],
  );
  await page.goto(`/analytics/consistency?dataset=${dataset}`);
  const cells = page.getByTestId("consistency-table").locator(`tr[data-judge="${warm!.id}"] td`);
  await expect(cells).toHaveText(["Sim 7B warm", String(stored!.items), "up to 3", String(flips!.flipped), /%$/, /%$/]);
  await screenshot(page, "consistency-from-run");
});
