// The analytics views on the demo data: each view opens with figures that equal an independent
// computation (tests/independent, or the raw rows read here), a confusion-matrix cell lands on
// exactly its items in the judgments list, charts download as CSV, SVG and PNG, a page past its
// time budget shows the earlier figures as updating and then the new ones by itself, and every
// view needs a signed-in user.
import { readFileSync } from "node:fs";
import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { openQaAgreement } from "../tests/independent/openqa-agreement";
import { databaseInfo, demoDatasetId, judgeId, query, screenshot, signIn } from "./helpers";

const VIEWS = ["/analytics", "/analytics/agreement", "/analytics/quality", "/analytics/calibration", "/analytics/rewards", "/analytics/experts", "/analytics/consistency"];

/** Every response id the judgments list shows, walking its pages. */
async function listedIds(page: Page): Promise<number[]> {
  const ids: number[] = [];
  for (let guard = 0; guard < 50; guard++) {
    ids.push(...(await page.locator("[data-response-id]").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-response-id"))))));
    const next = page.getByTestId("next-page");
    if ((await next.count()) === 0) break;
    const first = await page.locator("[data-response-id]").first().getAttribute("data-response-id");
    await next.click();
    await expect(page.locator("[data-response-id]").first()).not.toHaveAttribute("data-response-id", first!);
  }
  return ids;
}

test("the overview's headline numbers equal the files' and the database's", async ({ page }) => {
  const dataset = await demoDatasetId();
  const expected = openQaAgreement();
  await signIn(page, "viewer", `/analytics?dataset=${dataset}`);
  await expect(page.getByTestId("overview-responses")).toContainText("1,490");
  // Every gold label, as the datasets pages count them: correct, incorrect and unsure.
  const [gold] = await query<{ n: number }>("SELECT count(*)::int AS n FROM responses WHERE dataset_id = $1 AND gold_label IS NOT NULL", [dataset]);
  await expect(page.getByTestId("overview-gold").locator("div").nth(1)).toHaveText(gold!.n.toLocaleString("en-US"));
  await expect(page.getByTestId("headline-kappa")).toContainText(`κ = ${expected.gpt4VsBem.kappa.toFixed(3)}`);
  const gpt4 = await judgeId("GPT-4");
  const [verdicts] = await query<{ yes: number; no: number }>(
    `SELECT count(*) FILTER (WHERE verdict = 'YES')::int AS yes, count(*) FILTER (WHERE verdict = 'NO')::int AS no FROM judgments WHERE judge_id = $1`,
    [gpt4],
  );
  const rate = verdicts!.yes / (verdicts!.yes + verdicts!.no);
  await expect(page.locator(`[data-judge="${gpt4}"] [data-field="reward-rate"]`)).toHaveText(`${(rate * 100).toFixed(1)}%`);
  const accuracy = (expected.gpt4VsHuman.yy + expected.gpt4VsHuman.nn) / expected.gpt4VsHuman.n;
  await expect(page.locator(`[data-judge="${gpt4}"] [data-field="accuracy"]`)).toHaveText(`${(accuracy * 100).toFixed(1)}%`);
  await screenshot(page, "analytics-overview");
});

test("agreement: a confusion-matrix cell opens exactly its items, and breakdowns link to their disagreements", async ({ page }) => {
  const dataset = await demoDatasetId();
  const gpt4 = await judgeId("GPT-4");
  const bem = await judgeId("BEM");
  const expected = openQaAgreement();
  await signIn(page, "viewer", `/analytics?dataset=${dataset}`);
  await page.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Agreement" }).click();
  await expect(page).toHaveURL(/\/analytics\/agreement\?dataset=/);
  await expect(page.locator(`[data-pair="${bem}:expert"] [data-field="kappa"]`)).toHaveText(expected.bemVsHuman.kappa.toFixed(3));
  await page.getByRole("link", { name: /^GPT-4 vs Experts \(gold\): κ / }).click();
  await expect(page.getByRole("link", { name: /^GPT-4 vs Experts \(gold\): κ / })).toHaveAttribute("aria-current", "true");
  await expect(page).toHaveURL(new RegExp(`a=${gpt4}&b=expert`));
  await expect(page.getByTestId("cell-yn")).toHaveText(String(expected.gpt4VsHuman.yn));
  await screenshot(page, "analytics-agreement");

  // GPT-4 says YES, the experts say incorrect: the list holds exactly these responses.
  await page.waitForLoadState("networkidle");
  await page.getByTestId("cell-yn").click();
  await expect(page).toHaveURL(/\/judgments\?/);
  await expect(page.getByTestId("match-count")).toHaveText(`${expected.gpt4VsHuman.yn} responses match`);
  const want = await query<{ id: number }>(
    `SELECT r.id FROM responses r JOIN judgments j ON j.response_id = r.id AND j.judge_id = $2 AND j.sample = 0
     WHERE r.dataset_id = $1 AND j.verdict = 'YES' AND r.gold_label = 'incorrect' ORDER BY r.id`,
    [dataset, gpt4],
  );
  expect(await listedIds(page)).toEqual(want.map((r) => r.id));

  // Breakdown by response length: each disagreement count opens that many responses.
  await page.goto(`/analytics/agreement?dataset=${dataset}&a=${gpt4}&b=${bem}&by=length`);
  const row = page.getByTestId("breakdown-table").locator("tbody tr").first();
  const count = Number((await row.locator("td").last().innerText()).replace(/,/g, ""));
  expect(count).toBeGreaterThan(0);
  const link = row.locator("td").last().getByRole("link");
  await expect(link).toHaveAttribute("href", /disagree=.*len=0-200/);
  await page.goto((await link.getAttribute("href"))!);
  await expect(page.getByTestId("match-count")).toHaveText(`${count} ${count === 1 ? "response matches" : "responses match"}`);
});

test("judges vs experts, calibration, rewards, experts and self-consistency show their figures", async ({ page }) => {
  const dataset = await demoDatasetId();
  const bem = await judgeId("BEM");
  const expected = openQaAgreement();

  await signIn(page, "viewer", `/analytics/quality?dataset=${dataset}`);
  const bemAccuracy = (expected.bemVsHuman.yy + expected.bemVsHuman.nn) / expected.bemVsHuman.n;
  await expect(page.locator(`[data-judge="${bem}"] [data-field="accuracy"]`)).toHaveText(`${(bemAccuracy * 100).toFixed(1)}%`);
  const far = expected.bemVsHuman.yn / (expected.bemVsHuman.yn + expected.bemVsHuman.nn);
  await expect(page.locator(`[data-judge="${bem}"] [data-field="falseAcceptRate"]`)).toHaveText(`${(far * 100).toFixed(1)}%`);
  await screenshot(page, "analytics-quality");
  // The chart's legend lists the judges in the order of their bars and of the table (not by name).
  const tableOrder = await page.locator("[data-judge]").evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute("data-judge")))]);
  const names = await query<{ id: number; name: string }>(`SELECT id, CASE WHEN size_label <> '' THEN name || ' (' || size_label || ')' ELSE name END AS name FROM judges`);
  const legend = page.locator(".recharts-legend-item-text");
  await expect(legend.first()).toBeVisible();
  expect(await legend.allTextContents()).toEqual(tableOrder.map((id) => names.find((n) => String(n.id) === id)!.name));
  expect(tableOrder.length).toBeGreaterThan(1);

  // Unasked, calibration opens on the first judge that gives soft rewards (GPT-4 gives none).
  await page.goto(`/analytics/calibration?dataset=${dataset}`);
  await expect(page.getByRole("combobox", { name: "Judge", exact: true })).toHaveValue(String(bem));
  await expect(page.getByTestId("reliability-chart")).toBeVisible();

  // Calibration of BEM's probability: ECE and Brier recomputed here from the rows.
  await page.goto(`/analytics/calibration?dataset=${dataset}&judge=${bem}`);
  const scored = await query<{ p: number; y: number }>(
    `SELECT j.soft_reward AS p, (r.gold_label = 'correct')::int AS y FROM responses r JOIN judgments j ON j.response_id = r.id AND j.judge_id = $2
     WHERE r.dataset_id = $1 AND r.gold_label IN ('correct', 'incorrect') AND j.soft_reward IS NOT NULL`,
    [dataset, bem],
  );
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const { p, y } of scored) {
    const b = bins[Math.min(Math.floor(p * 10), 9)]!;
    b.n++;
    b.p += p;
    b.y += y;
  }
  const ece = bins.reduce((a, b) => a + (b.n ? (b.n / scored.length) * Math.abs(b.y / b.n - b.p / b.n) : 0), 0);
  const brier = scored.reduce((a, { p, y }) => a + (p - y) ** 2, 0) / scored.length;
  await expect(page.getByTestId("ece")).toContainText(ece.toFixed(4));
  await expect(page.getByTestId("brier")).toContainText(brier.toFixed(4));
  await expect(page.getByTestId("reliability-chart").locator(".recharts-wrapper > svg")).toBeVisible();
  await screenshot(page, "analytics-calibration");

  // Downloads: the chart's data as CSV, the chart as SVG and PNG.
  const card = page.getByTestId("reliability-chart");
  const csv = await download(page, () => card.getByRole("button", { name: "CSV" }).click());
  expect(csv.name).toMatch(/\.csv$/);
  const lines = csv.text.trim().split("\r\n");
  expect(lines[0]).toBe("bin_low,bin_high,items,mean_p_yes,share_correct");
  expect(lines.slice(1).reduce((a, l) => a + Number(l.split(",")[2]), 0)).toBe(scored.length);
  const svg = await download(page, () => card.getByRole("button", { name: "SVG" }).click());
  expect(svg.text).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // The picture says what it is on its own: the card's title is written above the chart.
  expect(svg.text).toMatch(/<text[^>]*>Reliability diagram<\/text>/);
  const png = await download(page, () => card.getByRole("button", { name: "PNG" }).click());
  expect(png.bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");

  // A bin's items open in the judgments list: exactly the bin's count (worked out above from the rows).
  const busiest = bins.reduce((best, b, i) => (b.n > bins[best]!.n ? i : best), 0);
  const label = `${(busiest / 10).toFixed(1)}–${((busiest + 1) / 10).toFixed(1)}`;
  await page.getByTestId(`bin-items-${label}`).click();
  await expect(page).toHaveURL(/reward=\d+%3A|reward=\d+:/);
  await expect(page.getByTestId("reward-band")).toContainText(`BEM (110M) soft reward in [${busiest / 10}, ${(busiest + 1) / 10}${busiest === 9 ? "]" : ")"}`);
  await expect(page.getByTestId("match-count")).toHaveText(`${bins[busiest]!.n} ${bins[busiest]!.n === 1 ? "response matches" : "responses match"}`);
  await page.goto(`/analytics/calibration?dataset=${dataset}&judge=${bem}`);

  // A link without the dataset keeps its other parameters when the newest dataset is filled in.
  await page.goto(`/analytics/rewards?judge=${bem}&reward=soft&batch=8`);
  await expect(page).toHaveURL(/dataset=\d+/);
  await expect(page.getByRole("combobox", { name: "Reward", exact: true })).toHaveValue("soft");
  await expect(page.getByRole("combobox", { name: "Batch", exact: true })).toHaveValue("8");
  await expect(page.getByTestId("dataset-missing")).toHaveCount(0);
  // A link to a dataset that is none lands on one, and says so.
  await page.goto(`/analytics/rewards?dataset=999999&judge=${bem}`);
  await expect(page).toHaveURL(/dataset=\d+/);
  await expect(page.getByTestId("dataset-missing")).toContainText("There is no dataset “999999”");
  await page.goto(`/judgments?dataset=999999`);
  await expect(page.getByTestId("dataset-missing")).toContainText("There is no dataset “999999”");
  await expect(page.getByTestId("match-count")).toBeVisible();
  await page.goto(`/analytics/rewards?dataset=${dataset}&judge=${bem}&reward=soft`);
  await expect(page.getByTestId(`soft-histogram-${bem}`).locator(".recharts-wrapper > svg")).toBeVisible();
  // A bar opens its items: BEM's soft reward in the bar's bin, with the experts' label of its colour (counted here from the rows).
  const [bar] = await query<{ bin: number; n: number }>(
    `SELECT least(floor(j.soft_reward * 20), 19)::int AS bin, count(*)::int AS n FROM responses r JOIN judgments j ON j.response_id = r.id AND j.judge_id = $2 AND j.sample = 0
     WHERE r.dataset_id = $1 AND r.gold_label = 'correct' AND j.soft_reward IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    [dataset, bem],
  );
  await page.getByTestId(`soft-histogram-${bem}`).locator(".recharts-bar").first().locator(".recharts-bar-rectangle").nth(bar!.bin).click();
  await expect(page).toHaveURL(/\/judgments\?.*label=correct/);
  await expect(page.getByTestId("match-count")).toHaveText(`${bar!.n} ${bar!.n === 1 ? "response matches" : "responses match"}`);
  await page.goBack();
  // The same bar from the keyboard: the bars as a table of links, the count opening the same items.
  const barLinks = page.getByTestId(`soft-histogram-${bem}`).getByTestId("bar-links");
  await barLinks.locator("summary").focus();
  await page.keyboard.press("Enter");
  const barRow = barLinks.getByRole("row", { name: (bar!.bin / 20).toFixed(2), exact: false }).first();
  const countLink = barRow.getByRole("link", { name: String(bar!.n), exact: true }).first();
  await countLink.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/judgments\?.*label=correct/);
  await expect(page.getByTestId("match-count")).toHaveText(`${bar!.n} ${bar!.n === 1 ? "response matches" : "responses match"}`);
  await page.goBack();
  // The legend (drawn by the page outside the chart's SVG) goes into the picture, with its colours.
  const histogram = await download(page, () => page.getByTestId(`soft-histogram-${bem}`).getByRole("button", { name: "SVG" }).click());
  expect(histogram.text).toMatch(/<text[^>]*>BEM \(110M\): soft rewards<\/text>/);
  expect(histogram.text).toMatch(/<rect[^>]*fill="#059669"[^>]*\/><text[^>]*>experts: correct<\/text><rect[^>]*fill="#e11d48"[^>]*\/><text[^>]*>experts: incorrect<\/text>/);
  // GPT-4 answered in words: no soft reward, so nothing to draw and no download offered.
  const gpt4Card = page.getByTestId(`soft-histogram-${await judgeId("GPT-4")}`);
  await expect(gpt4Card).toContainText("No soft reward is stored for this judge");
  await expect(gpt4Card.getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("group-z-chart")).toBeVisible();
  await page.getByRole("combobox", { name: "Reward", exact: true }).selectOption("binary");
  await expect(page).toHaveURL(/reward=binary/);
  await expect(page.getByTestId("zero-variance-share")).toBeVisible();
  // With the keyboard: each arrow key is a change that loads the page; the list keeps the focus.
  await page.getByRole("combobox", { name: "Batch", exact: true }).focus();
  const batchBefore = await page.getByRole("combobox", { name: "Batch", exact: true }).inputValue();
  await page.keyboard.press("ArrowDown");
  await expect(page).not.toHaveURL(new RegExp(`batch=${batchBefore}(&|$)`));
  await expect(page.getByRole("combobox", { name: "Batch", exact: true })).toBeFocused();
  await screenshot(page, "analytics-rewards");

  // Experts: annotator1 vs annotator2, recomputed from their labels.
  await page.goto(`/analytics/experts?dataset=${dataset}`);
  const pairs = await query<{ a: string; b: string }>(
    `SELECT x.value::text AS a, y.value::text AS b FROM expert_labels x JOIN expert_labels y ON y.response_id = x.response_id
     JOIN responses r ON r.id = x.response_id WHERE r.dataset_id = $1 AND x.annotator = 'annotator1' AND y.annotator = 'annotator2'`,
    [dataset],
  );
  const n = pairs.length;
  const po = pairs.filter((p) => p.a === p.b).length / n;
  const aYes = pairs.filter((p) => p.a === "correct").length / n;
  const bYes = pairs.filter((p) => p.b === "correct").length / n;
  const pe = aYes * bYes + (1 - aYes) * (1 - bYes);
  await expect(page.locator('[data-pair="annotator1:annotator2"] [data-field="kappa"]')).toHaveText(((po - pe) / (1 - pe)).toFixed(3));
  await expect(page.getByTestId("alpha")).toBeVisible();
  await screenshot(page, "analytics-experts");
  // Where experts disagree and nobody decided: the list holds exactly those responses (counted here from the labels).
  const [disputed] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM responses r WHERE r.dataset_id = $1
       AND EXISTS (SELECT 1 FROM expert_labels l WHERE l.response_id = r.id AND l.value = 'correct')
       AND EXISTS (SELECT 1 FROM expert_labels l WHERE l.response_id = r.id AND l.value = 'incorrect')
       AND NOT EXISTS (SELECT 1 FROM adjudications a WHERE a.response_id = r.id)`,
    [dataset],
  );
  expect(disputed!.n).toBeGreaterThan(0);
  await page.getByTestId("open-disputed").click();
  await expect(page).toHaveURL(/label=disputed/);
  await expect(page.getByTestId("match-count")).toHaveText(`${disputed!.n} ${disputed!.n === 1 ? "response matches" : "responses match"}`);
  await page.goto(`/analytics/experts?dataset=${dataset}`);

  await page.goto(`/analytics/consistency?dataset=${dataset}`);
  await expect(page.getByText("No judge was sampled more than once")).toBeVisible();
});

async function download(page: Page, click: () => Promise<void>) {
  const waiting = page.waitForEvent("download");
  await click();
  const file = await waiting;
  const bytes = readFileSync(await file.path());
  return { name: file.suggestedFilename(), bytes, text: bytes.toString("utf8") };
}

test("while a view's figures are computed, the page says so at once", async ({ page }) => {
  const dataset = await demoDatasetId();
  await signIn(page, "viewer", `/analytics?dataset=${dataset}`);
  await expect(page.getByTestId("overview-responses")).toBeVisible();
  // The server made slow, as a first computation over a million responses is: each request for
  // the rewards view waits 1.5 s before it goes out (not the prefetch of its loading state, which
  // computes nothing).
  await page.route(/\/analytics\/rewards/, async (route) => {
    if (!route.request().headers()["next-router-prefetch"]) await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue().catch(() => {}); // the page may have moved on meanwhile
  });
  // A tab of another view: its skeleton shows while the view is computed.
  const tab = page.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Rewards" });
  await tab.hover(); // as a pointer on its way to click does: the loading state is prefetched
  await page.waitForTimeout(300);
  await tab.click();
  await expect(page.getByRole("status").filter({ hasText: "Computing the figures" })).toBeVisible({ timeout: 1000 });
  await screenshot(page, "analytics-computing");
  await expect(page.getByRole("combobox", { name: "Reward" })).toBeVisible();
  // A picker of the view: the page stays, and says new figures are coming. (Read from the page
  // itself: Playwright's locators wait for a navigation under way to finish first.)
  const picker = page.getByRole("combobox", { name: "Reward" });
  const other = (await picker.locator("option:not(:checked)").first().getAttribute("value"))!;
  // The change and the reading in one step, before the new page can arrive.
  const shown = await page.evaluate(async (value) => {
    const status = () => document.querySelector('form[aria-label="View options"] [role="status"]')?.textContent ?? null;
    const before = status();
    const select = document.querySelector<HTMLSelectElement>('form[aria-label="View options"] select[name="reward"]')!;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 50)); // React's render of the change
    return { before, after: status() };
  }, other);
  expect(shown).toEqual({ before: null, after: "Computing…" });
  await expect(page).toHaveURL(new RegExp(`reward=${other}`));
  await expect(page.getByRole("combobox", { name: "Reward" })).toHaveValue(other);
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

test("after a change, a page whose figures take longer than its time budget shows the earlier ones as updating, then the new ones by itself", async ({ page }) => {
  // The computation is held up by a second session's lock on the stored parts, as a pass over a
  // million responses holds it up; the embedded database serves one session at a time.
  test.skip(databaseInfo().embedded, "needs a database that serves two sessions at once");
  const dataset = await demoDatasetId();
  const [gpt4, bem] = [await judgeId("GPT-4"), await judgeId("BEM")];
  await signIn(page, "viewer", `/analytics/agreement?dataset=${dataset}`);
  await expect(page.getByTestId("freshness")).toBeVisible();
  const yy = page.getByTestId("cell-yy"); // GPT-4 and BEM both YES: the page's default pair
  const before = Number(await yy.textContent());
  // One item both said YES to: GPT-4's verdict now NO.
  const [item] = await query<{ id: number }>(
    `SELECT j.id FROM judgments j JOIN judgments b ON b.response_id = j.response_id AND b.judge_id = $2 AND b.sample = 0 AND b.verdict = 'YES'
     WHERE j.judge_id = $1 AND j.sample = 0 AND j.verdict = 'YES' ORDER BY j.id LIMIT 1`,
    [gpt4, bem],
  );
  const locker = new pg.Client({ connectionString: databaseInfo().url });
  await locker.connect();
  try {
    await query(`UPDATE judgments SET verdict = 'NO' WHERE id = $1`, [item!.id]);
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE analytics_partials IN ACCESS EXCLUSIVE MODE");
    const started = Date.now();
    await page.goto(`/analytics/agreement?dataset=${dataset}`);
    await expect(page.getByTestId("freshness-updating")).toBeVisible();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(page.getByTestId("freshness-updating")).toContainText("The new figures are being computed");
    await expect(yy).toHaveText(String(before)); // the figures from before the change
    await screenshot(page, "analytics-updating");
    await locker.query("COMMIT");
    // The computation goes on, and the page reloads itself once it is done.
    await expect(page.getByTestId("freshness")).toBeVisible({ timeout: 20_000 });
    await expect(yy).toHaveText(String(before - 1));
  } finally {
    await locker.query("ROLLBACK").catch(() => undefined);
    await locker.end();
    await query(`UPDATE judgments SET verdict = 'YES' WHERE id = $1`, [item!.id]);
  }
});

test("every analytics view needs a signed-in user, and every role may read it", async ({ page, browser }) => {
  const dataset = await demoDatasetId();
  const anonymous = await browser.newContext();
  for (const view of VIEWS) {
    const res = await anonymous.request.get(`${view}?dataset=${dataset}`, { maxRedirects: 0, failOnStatusCode: false });
    expect(res.status(), `${view} as nobody`).toBe(307);
    expect(res.headers().location, `${view} as nobody`).toContain("/login");
  }
  await anonymous.close();
  for (const role of ["viewer", "expert", "researcher", "admin"] as const) {
    await signIn(page, role);
    for (const view of VIEWS) {
      const res = await page.request.get(`${view}?dataset=${dataset}`, { failOnStatusCode: false });
      expect(res.status(), `${view} as ${role}`).toBe(200);
    }
  }
});
