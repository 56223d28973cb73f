// The first slice, end to end on the demo data: datasets -> questions, the judgments list with
// filters in the URL and keyset pages, the detail panel, an expert's label change, agreement
// figures against an independent computation, and the JSONL export.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { openQaAgreement } from "../tests/independent/openqa-agreement";
import { demoDatasetId, judgeId, query, screenshot, signIn } from "./helpers";

test("datasets list -> a dataset -> its questions with reference and responses", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByRole("heading", { name: "Datasets" })).toBeVisible();
  const row = page.getByRole("row", { name: /openqa-eval NQ301/ });
  await expect(row).toContainText("301");
  await expect(row).toContainText("1,490");
  await screenshot(page, "datasets");
  await row.getByRole("link", { name: "openqa-eval NQ301" }).click();
  await expect(page.getByRole("heading", { name: "openqa-eval NQ301" })).toBeVisible();
  // The counts, against the database's own.
  const [counts = { questions: -1, responses: -1, labeled: -1 }] = await query<{ questions: number; responses: number; labeled: number }>(
    `SELECT (SELECT count(*)::int FROM questions WHERE dataset_id = $1) AS questions, (SELECT count(*)::int FROM responses WHERE dataset_id = $1) AS responses,
       (SELECT count(*)::int FROM responses WHERE dataset_id = $1 AND gold_label IS NOT NULL) AS labeled`,
    [await demoDatasetId()],
  );
  const shown = page.getByTestId("dataset-counts");
  for (const [label, n] of [["Questions", counts.questions], ["Responses", counts.responses], ["With expert label", counts.labeled]] as const) {
    await expect(shown.locator("div", { has: page.getByText(label, { exact: true }) }).locator("dd")).toHaveText(n.toLocaleString("en-US"));
  }
  await expect(shown).toContainText("GPT-4, BEM (110M)");
  // The same over REST.
  const one = (await (await page.request.get(`/api/v1/datasets/${await demoDatasetId()}`)).json()).data;
  expect(one).toMatchObject({ name: "openqa-eval NQ301", ...counts, deletingAt: null });
  expect((await page.request.get("/api/v1/datasets/999999", { failOnStatusCode: false })).status()).toBe(404);
  // A viewer may not import, run or export: no such links.
  await expect(page.getByTestId("dataset-actions")).toHaveCount(0);
  const first = page.locator("ol > li").first();
  await expect(first).toContainText("where are the washington redskins based out of");
  await expect(first).toContainText("open-domain QA");
  await expect(first).toContainText("id nq301-1");
  await expect(first).toContainText("FedExField in Landover, Maryland | the Washington metropolitan area");
  await expect(first.locator("ul > li")).toHaveCount(5);
  await screenshot(page, "dataset-questions");
  await page.getByRole("link", { name: "Next page →" }).click();
  await expect(page).toHaveURL(/after=\d+/);
  await expect(page.locator("ol > li")).toHaveCount(20);
  // A question's subject opens that subject's responses in the judgments list.
  await page.locator("ol > li").first().getByRole("link", { name: "open-domain QA" }).click();
  await expect(page).toHaveURL(/\/judgments\?dataset=\d+&subject=open-domain(\+|%20)QA$/);
  await expect(page.getByLabel("Subject")).toHaveValue("open-domain QA");
});

test("a dataset's page leads a researcher to an import into it, a run on it and an export of it", async ({ page }) => {
  const id = await demoDatasetId();
  await signIn(page, "researcher", `/datasets/${id}`);
  const actions = page.getByTestId("dataset-actions");
  await actions.getByRole("link", { name: "Import into this dataset" }).click();
  await expect(page.getByRole("heading", { name: "New import" })).toBeVisible();
  await expect(page).toHaveURL(/\/imports\/new\?dataset=openqa-eval(%20|\+)NQ301$/);
  // The file's own name would otherwise name the dataset.
  await page.getByLabel("File to import").setInputFiles({ name: "more.jsonl", mimeType: "application/jsonl", buffer: Buffer.from('{"question":"q?","reference":"a","response":"a"}\n') });
  await expect(page.getByTestId("upload-status")).toHaveText("Uploaded.");
  await expect(page.getByLabel("Dataset", { exact: true })).toHaveValue("openqa-eval NQ301");
  await page.goBack();
  await actions.getByRole("link", { name: "Run a judge" }).click();
  // The form takes the dataset from the URL (as from the judgments page); the demo's judges are
  // external ones, which cannot run, so the form may not show here.
  await expect(page.getByRole("heading", { name: "New run" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/runs/new\\?dataset=${id}$`));
  // An empty dataset (the form would otherwise start on one with judgments, the demo's).
  const [empty = { id: -1 }] = await query<{ id: number }>("INSERT INTO datasets (name) VALUES ($1) RETURNING id", [`empty-${Date.now()}`]);
  try {
    await page.goto(`/datasets/${empty.id}`);
    await expect(page.getByText("This dataset has no questions yet.")).toBeVisible();
    await expect(page.getByTestId("dataset-counts")).toContainText("Questions0Responses0With expert label0Judgesnone yet");
    await page.getByTestId("dataset-actions").getByRole("link", { name: "Export" }).click();
    await expect(page.getByRole("heading", { name: "Exports", exact: true })).toBeVisible();
    await expect(page.getByLabel("Dataset")).toHaveValue(String(empty.id));
  } finally {
    await query("DELETE FROM datasets WHERE id = $1", [empty.id]);
  }
});

test("a researcher renames a dataset and changes its description; a viewer cannot", async ({ page, browser, request }) => {
  const name = `rename-me-${Date.now()}`;
  const [dataset = { id: -1 }] = await query<{ id: number }>("INSERT INTO datasets (name, description) VALUES ($1, 'old words') RETURNING id", [name]);
  try {
    expect((await request.patch(`/api/v1/datasets/${dataset.id}`, { data: { name: "x" }, failOnStatusCode: false })).status(), "as nobody").toBe(401);
    const viewer = await browser.newPage();
    await signIn(viewer, "viewer", `/datasets/${dataset.id}`);
    await expect(viewer.getByRole("heading", { name })).toBeVisible();
    await expect(viewer.getByRole("button", { name: "Edit" })).toHaveCount(0);
    expect((await viewer.request.patch(`/api/v1/datasets/${dataset.id}`, { data: { name: "x" }, failOnStatusCode: false })).status(), "as viewer").toBe(403);
    await viewer.close();

    await signIn(page, "researcher", `/datasets/${dataset.id}`);
    await page.getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit dataset" });
    await expect(form.getByLabel("Name")).toBeFocused();
    // A name another dataset has: refused, said beside the button.
    await form.getByLabel("Name").fill("openqa-eval NQ301");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("alert")).toHaveText('a dataset named "openqa-eval NQ301" exists already');
    await form.getByLabel("Name").fill(`${name}-renamed`);
    await form.getByLabel("Description").fill("new words");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { name: `${name}-renamed` })).toBeVisible();
    await expect(page.getByText("new words")).toBeVisible();
    const [row] = await query<{ name: string; description: string }>("SELECT name, description FROM datasets WHERE id = $1", [dataset.id]);
    expect(row).toEqual({ name: `${name}-renamed`, description: "new words" });
    // Escape closes the form without saving.
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByRole("form", { name: "Edit dataset" }).getByLabel("Name").fill("not kept");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("form", { name: "Edit dataset" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: `${name}-renamed` })).toBeVisible();
    await page.getByRole("button", { name: "Edit" }).click();
    await expect(page.getByRole("form", { name: "Edit dataset" }).getByLabel("Name")).toHaveValue(`${name}-renamed`);
    await screenshot(page, "dataset-edit");
  } finally {
    await query("DELETE FROM datasets WHERE id = $1", [dataset.id]);
  }
});

test("judgments: filters live in the URL and select exactly the matching responses", async ({ page }) => {
  const dataset = await demoDatasetId();
  const gpt4 = await judgeId("GPT-4");
  const bem = await judgeId("BEM");
  await signIn(page, "viewer", `/judgments?dataset=${dataset}`);
  await expect(page.getByTestId("match-count")).toHaveText("1,490 responses match");

  // GPT-4 says YES, experts say incorrect: the "false accepts" of GPT-4.
  await page.getByLabel("GPT-4 says").selectOption(`${gpt4}:YES`);
  await expect(page).toHaveURL(new RegExp(`verdict=${gpt4}%3AYES`));
  await page.getByLabel("Expert label").selectOption("incorrect");
  await expect(page).toHaveURL(/label=incorrect/);
  const [falseAccepts] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM responses r JOIN judgments j ON j.response_id = r.id
     WHERE r.dataset_id = $1 AND j.judge_id = $2 AND j.verdict = 'YES' AND r.gold_label = 'incorrect'`,
    [dataset, gpt4],
  );
  await expect(page.getByTestId("match-count")).toHaveText(`${falseAccepts!.n} responses match`);
  await screenshot(page, "judgments-filtered");

  // The view is a link: reloading keeps every filter.
  await page.reload();
  await expect(page.getByLabel("GPT-4 says")).toHaveValue(`${gpt4}:YES`);
  await expect(page.getByLabel("Expert label")).toHaveValue("incorrect");
  // Only the filters set are in the URL.
  expect(new URL(page.url()).search).not.toMatch(/=(&|$)/);
  // Reset, then Back: the fields follow the URL each time, and a search then keeps no stale filter.
  await page.getByRole("link", { name: "Reset" }).click();
  await expect(page.getByTestId("match-count")).toHaveText("1,490 responses match");
  await expect(page.getByLabel("GPT-4 says")).toHaveValue("");
  await expect(page.getByLabel("Expert label")).toHaveValue("");
  await page.goBack();
  await expect(page.getByLabel("GPT-4 says")).toHaveValue(`${gpt4}:YES`);
  await page.goForward();
  await expect(page.getByLabel("Expert label")).toHaveValue("");
  // Stepping through a select with the keyboard applies each option and keeps the focus on it.
  await page.getByLabel("Expert label").focus();
  await page.keyboard.press("ArrowDown");
  await expect(page).toHaveURL(/label=correct/);
  await expect(page.getByLabel("Expert label")).toHaveValue("correct");
  await expect(page.getByLabel("Expert label")).toBeFocused();

  // Disagreement between BEM and the experts.
  await page.goto(`/judgments?dataset=${dataset}`);
  await page.getByLabel("Disagreement").selectOption(`${bem}:expert`);
  const [disagree] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM responses r JOIN judgments j ON j.response_id = r.id
     WHERE r.dataset_id = $1 AND j.judge_id = $2 AND ((j.verdict = 'YES' AND r.gold_label = 'incorrect') OR (j.verdict = 'NO' AND r.gold_label = 'correct'))`,
    [dataset, bem],
  );
  await expect(page.getByTestId("match-count")).toHaveText(`${disagree!.n} responses match`);

  // Text search in questions and responses.
  await page.goto(`/judgments?dataset=${dataset}`);
  await page.getByLabel("Search question and response").fill("kelvin");
  await page.getByLabel("Search question and response").press("Enter");
  await expect(page).toHaveURL(/q=kelvin/);
  await expect(page.getByLabel("Search question and response")).toBeFocused();
  // A page past the last response says so, with the way back, rather than "no match".
  await page.goto(`/judgments?dataset=${dataset}&after=2147483000`);
  await expect(page.getByTestId("judgments-empty")).toContainText("No response on this page: it is past the last one.");
  await page.getByTestId("judgments-empty").getByRole("link", { name: "Go to the first page" }).click();
  await expect(page.getByTestId("judgments-table")).toBeVisible();
  await page.goto(`/judgments?dataset=${dataset}&q=kelvin`);
  const [search] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM responses r JOIN questions q ON q.id = r.question_id
     WHERE r.dataset_id = $1 AND (r.text ILIKE '%kelvin%' OR q.text ILIKE '%kelvin%')`,
    [dataset],
  );
  await expect(page.getByTestId("match-count")).toHaveText(`${search!.n} ${search!.n === 1 ? "response matches" : "responses match"}`);
});

test("judgments: keyset pages walk the whole list once", async ({ page }) => {
  const dataset = await demoDatasetId();
  await signIn(page, "viewer", `/judgments?dataset=${dataset}`);
  const seen = new Set<string>();
  for (let pageNo = 0; pageNo < 40; pageNo++) {
    const ids = await page.locator("[data-response-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-response-id")!));
    for (const id of ids) {
      expect(seen.has(id)).toBe(false);
      seen.add(id);
    }
    const next = page.getByTestId("next-page");
    if ((await next.count()) === 0) break;
    await next.click();
    // The next page starts after the last row of this one.
    await expect(page.locator("[data-response-id]").first()).not.toHaveAttribute("data-response-id", ids[0]!);
  }
  expect(seen.size).toBe(1490);
});

test("judgments: previous page goes back, and j / k in the detail cross onto the next and previous pages", async ({ page }) => {
  const dataset = await demoDatasetId();
  await signIn(page, "viewer", `/judgments?dataset=${dataset}`);
  const rowIds = () => page.locator("[data-response-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-response-id")!));
  const first = await rowIds();
  await expect(page.getByTestId("previous-page")).toHaveCount(0);
  await page.getByTestId("next-page").click();
  await expect(page.locator("[data-response-id]").first()).not.toHaveAttribute("data-response-id", first[0]!);
  const second = await rowIds();
  await page.getByTestId("next-page").click();
  await expect(page.locator("[data-response-id]").first()).not.toHaveAttribute("data-response-id", second[0]!);
  const third = await rowIds();
  // Back twice: the same pages, then the first page with no way further back.
  await page.getByTestId("previous-page").click();
  await expect(page.locator("[data-response-id]").first()).toHaveAttribute("data-response-id", second[0]!);
  expect(await rowIds()).toEqual(second);
  await page.getByTestId("previous-page").click();
  await expect(page.locator("[data-response-id]").first()).toHaveAttribute("data-response-id", first[0]!);
  expect(await rowIds()).toEqual(first);
  await expect(page.getByTestId("previous-page")).toHaveCount(0);

  // The second page's last row open: j opens the third page's first row, k brings back the second's last.
  await page.getByTestId("next-page").click();
  await page.locator(`[data-response-id="${second.at(-1)}"]`).getByRole("link").first().click();
  const panel = page.getByTestId("detail-panel");
  await expect(panel.getByRole("heading", { name: `Response ${second.at(-1)}` })).toBeVisible();
  await page.keyboard.press("j");
  await expect(panel.getByRole("heading", { name: `Response ${third[0]}` })).toBeVisible();
  expect(await rowIds()).toEqual(third);
  await expect(page.locator(`[data-response-id="${third[0]}"]`)).toHaveClass(/bg-blue-50/);
  await page.keyboard.press("k");
  await expect(panel.getByRole("heading", { name: `Response ${second.at(-1)}` })).toBeVisible();
  expect(await rowIds()).toEqual(second);
  // Within the page, j and k move a row as before; Esc closes and stays on the page.
  await page.keyboard.press("k");
  await expect(panel.getByRole("heading", { name: `Response ${second.at(-2)}` })).toBeVisible();
  // The same without keys (a touch screen): the header's links, across the page's end too.
  await panel.getByRole("link", { name: "↓ Next" }).click();
  await expect(panel.getByRole("heading", { name: `Response ${second.at(-1)}` })).toBeVisible();
  await panel.getByRole("link", { name: "↓ Next" }).click();
  await expect(panel.getByRole("heading", { name: `Response ${third[0]}` })).toBeVisible();
  await panel.getByRole("link", { name: "↑ Previous" }).click();
  await expect(panel.getByRole("heading", { name: `Response ${second.at(-1)}` })).toBeVisible();
  await page.keyboard.press("k");
  await expect(panel.getByRole("heading", { name: `Response ${second.at(-2)}` })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  expect(await rowIds()).toEqual(second);

  // An item opened on a page that does not hold it (as the dataset page links it): j and k go to
  // its own neighbours, the third page's second and first rows here, not to the first page's.
  await page.goto(`/judgments?dataset=${dataset}&item=${third[1]}`);
  await expect(panel.getByRole("heading", { name: `Response ${third[1]}` })).toBeVisible();
  expect(await rowIds()).toEqual(first);
  await page.keyboard.press("j");
  await expect(panel.getByRole("heading", { name: `Response ${third[2]}` })).toBeVisible();
  await page.goto(`/judgments?dataset=${dataset}&item=${third[1]}`);
  await page.keyboard.press("k");
  await expect(panel.getByRole("heading", { name: `Response ${third[0]}` })).toBeVisible();
});

test("detail panel shows question, reference, full response, final step and raw judge outputs", async ({ page }) => {
  const dataset = await demoDatasetId();
  await signIn(page, "viewer", `/judgments?dataset=${dataset}`);
  await page.locator("[data-response-id]").nth(1).getByRole("link").first().click();
  const panel = page.getByTestId("detail-panel");
  await expect(panel).toContainText("where are the washington redskins based out of");
  await expect(panel).toContainText("FedExField in Landover, Maryland | the Washington metropolitan area");
  await expect(panel.getByTestId("response-text")).toHaveText("The Washington Redskins are based out of Landover, Maryland.");
  await expect(panel.getByTestId("final-step")).toHaveText("The Washington Redskins are based out of Landover, Maryland.");
  await panel.getByText("Raw output").first().click();
  await expect(panel.getByTestId("raw-output").first()).toContainText("Yes, the candidate is correct.");
  await expect(panel).toContainText("0.744"); // BEM's soft score, max P(correct) over the gold answers
  // Where the item came from, with the metadata the import kept (lib/demo/openqa.ts).
  const facts = panel.getByTestId("item-facts");
  // (Postgres's jsonb keeps keys shortest first.)
  await expect(facts.locator("dt")).toHaveText(["subject", "language", "question id", "source", "goldAnswers"]);
  await expect(facts.locator("dd")).toHaveText(["open-domain QA", "en", /^nq301-/, "NQ301", '["FedExField in Landover, Maryland","the Washington metropolitan area"]']);
  await screenshot(page, "judgment-detail");
  // Keyboard: j moves to the next row, Esc closes.
  await page.keyboard.press("j");
  await expect(page).toHaveURL(/item=3/);
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  // Opened with Enter from a row, the panel has the focus (Tab reaches its header's links at once);
  // closed, the focus is back on the row.
  const row = page.locator('[data-response-id="3"]').getByRole("link").first();
  await row.focus();
  await page.keyboard.press("Enter");
  await expect(panel).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("link", { name: "↑ Previous" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("link", { name: "Close detail" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(row).toBeFocused();
});

/**
 * A response both annotators called correct and no studio user labelled yet (the first or the
 * last of them, so that two tests do not pick the same): one more label leaves the majority as it
 * is, so the demo's agreement figures stay those of the files whatever order tests run in.
 */
async function labelTarget(dataset: number, end: "first" | "last") {
  const [target] = await query<{ id: number }>(
    `SELECT r.id FROM responses r WHERE r.dataset_id = $1 AND r.gold_label = 'correct'
       AND (SELECT count(*) FROM expert_labels l WHERE l.response_id = r.id) = 2
       AND NOT EXISTS (SELECT 1 FROM expert_labels l WHERE l.response_id = r.id AND l.source = 'studio')
     ORDER BY r.id ${end === "first" ? "ASC" : "DESC"} LIMIT 1`,
    [dataset],
  );
  return target;
}

test("an expert changes a label in the detail panel: saved, versioned, audited, visible at once", async ({ page }) => {
  const dataset = await demoDatasetId();
  const target = await labelTarget(dataset, "first");
  await signIn(page, "expert", `/judgments?dataset=${dataset}&item=${target!.id}`);
  const panel = page.getByTestId("detail-panel");
  await panel.getByRole("radio", { name: "Incorrect" }).click();
  await panel.getByLabel("Note (optional)").fill("The reference names the stadium, not the area.");
  await panel.getByRole("button", { name: "Save label" }).click();
  await expect(panel.getByTestId("expert-labels")).toContainText("Demo expert");
  await expect(panel).toContainText("version 1");
  await expect(panel.getByTestId("label-history")).toContainText("Demo expert: — → incorrect");
  // The focus stays in the editor made afresh for the new version: on the label chosen. Arrows
  // move through the labels as in any radio group.
  await expect(panel.getByRole("radio", { name: "Incorrect" })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(panel.getByRole("radio", { name: "Unsure" })).toBeFocused();
  await expect(panel.getByRole("radio", { name: "Unsure" })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("ArrowLeft");
  await expect(panel.getByRole("radio", { name: "Incorrect" })).toHaveAttribute("aria-checked", "true");
  await screenshot(page, "label-saved");

  const labels = await query<{ value: string; version: number; note: string }>(
    `SELECT l.value::text, l.version, l.note FROM expert_labels l JOIN users u ON u.id = l.user_id
     WHERE l.response_id = $1 AND u.email = 'expert@demo.studio'`,
    [target!.id],
  );
  expect(labels).toEqual([{ value: "incorrect", version: 1, note: "The reference names the stadium, not the area." }]);
  const [audit] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'label.set' AND entity_id = $1`, [String(target!.id)]);
  expect(audit!.n).toBe(1);

  // A second change makes version 2 and a second history row.
  await panel.getByRole("radio", { name: "Unsure" }).click();
  await panel.getByRole("button", { name: "Save label" }).click();
  await expect(panel).toContainText("version 2");
  await expect(panel.getByTestId("label-history")).toContainText("Demo expert: incorrect → unsure");
  const [history] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM expert_label_history WHERE response_id = $1 AND changed_by_id IS NOT NULL`, [target!.id]);
  expect(history!.n).toBe(2);
  const [gold] = await query<{ gold: string }>(`SELECT gold_label::text AS gold FROM responses WHERE id = $1`, [target!.id]);
  expect(gold!.gold).toBe("correct");
});

test("a label changed elsewhere meanwhile: the panel says so and keeps what was chosen and written, to save over it", async ({ browser }) => {
  const dataset = await demoDatasetId();
  const target = await labelTarget(dataset, "last");
  const a = await browser.newPage();
  const b = await browser.newPage();
  await signIn(a, "expert", `/judgments?dataset=${dataset}&item=${target!.id}`);
  await signIn(b, "expert", `/judgments?dataset=${dataset}&item=${target!.id}`);
  const panelA = a.getByTestId("detail-panel");
  const panelB = b.getByTestId("detail-panel");
  await expect(panelB.getByRole("button", { name: "Save label" })).toBeVisible();
  // (The panel shows a save at once, before the server has it: the database says when it has.)
  const stored = () => query<{ value: string; version: number }>(`SELECT l.value::text, l.version FROM expert_labels l WHERE l.response_id = $1 AND l.source = 'studio'`, [target!.id]);
  await panelA.getByRole("radio", { name: "Unsure" }).click();
  await panelA.getByRole("button", { name: "Save label" }).click();
  await expect(panelA).toContainText("version 1");
  await expect.poll(stored).toEqual([{ value: "unsure", version: 1 }]);

  await panelB.getByRole("radio", { name: "Incorrect" }).click();
  await panelB.getByLabel("Note (optional)").fill("Written in the second tab.");
  await panelB.getByRole("button", { name: "Save label" }).click();
  const alert = panelB.getByRole("alert");
  await expect(alert).toContainText("changed elsewhere");
  await expect(alert).toContainText("Stored now: unsure, version 1");
  await expect(panelB.getByRole("radio", { name: "Incorrect" })).toHaveAttribute("aria-checked", "true");
  await expect(panelB.getByLabel("Note (optional)")).toHaveValue("Written in the second tab.");
  await screenshot(b, "label-conflict-panel");
  expect(await stored()).toEqual([{ value: "unsure", version: 1 }]);

  // Saved again, knowingly: it replaces the stored one.
  await panelB.getByRole("button", { name: "Save label" }).click();
  await expect(panelB).toContainText("version 2");
  await expect.poll(stored).toEqual([{ value: "incorrect", version: 2 }]);
  await a.close();
  await b.close();
});

test("agreement figures equal the independent computation, and a matrix cell opens exactly its items", async ({ page }) => {
  const dataset = await demoDatasetId();
  const gpt4 = await judgeId("GPT-4");
  const bem = await judgeId("BEM");
  const expected = openQaAgreement();
  await signIn(page, "viewer", `/agreement?dataset=${dataset}`);
  const pairs = [
    [`${gpt4}:${bem}`, expected.gpt4VsBem],
    [`${gpt4}:expert`, expected.gpt4VsHuman],
    [`${bem}:expert`, expected.bemVsHuman],
  ] as const;
  for (const [key, want] of pairs) {
    const row = page.locator(`[data-pair="${key}"]`);
    await expect(row.locator('[data-field="n"]')).toHaveText(want.n.toLocaleString("en-US"));
    await expect(row.locator('[data-field="observed"]')).toHaveText(`${(want.agreement * 100).toFixed(1)}%`);
    await expect(row.locator('[data-field="kappa"]')).toHaveText(want.kappa.toFixed(3));
  }
  await screenshot(page, "agreement");

  await page.goto(`/agreement?dataset=${dataset}&a=${gpt4}&b=expert`);
  await expect(page.getByTestId("pair-stats")).toContainText(expected.gpt4VsHuman.kappa.toFixed(4));
  await expect(page.getByTestId("cell-yn")).toHaveText(String(expected.gpt4VsHuman.yn));
  await page.getByTestId("cell-yn").click();
  await expect(page).toHaveURL(/\/judgments\?/);
  await expect(page.getByTestId("match-count")).toHaveText(`${expected.gpt4VsHuman.yn} responses match`);
});

test("a researcher exports the current filter as JSONL", async ({ page }) => {
  const dataset = await demoDatasetId();
  const gpt4 = await judgeId("GPT-4");
  await signIn(page, "researcher", `/judgments?dataset=${dataset}&verdict=${gpt4}%3AUNPARSEABLE`);
  await expect(page.getByTestId("match-count")).toHaveText("10 responses match");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export JSONL" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^openqa-eval_NQ301-judgments-.*\.jsonl$/);
  const lines = readFileSync(await download.path(), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(lines).toHaveLength(10);
  for (const line of lines) {
    expect(line.judgments["GPT-4"].verdict).toBe("UNPARSEABLE");
    expect(typeof line.judgments["GPT-4"].raw_output).toBe("string");
    expect(line.reference.length).toBeGreaterThan(0);
  }
  const [audit] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'export.judgments'`);
  expect(audit!.n).toBeGreaterThanOrEqual(1);
});

test("a page opened without a dataset starts on the one last looked at, not the first by name", async ({ page }) => {
  const demo = await demoDatasetId();
  // "aaa ..." sorts before the demo dataset: the first by name.
  const [other] = await query<{ id: number }>(`INSERT INTO datasets (name) VALUES ($1) RETURNING id`, [`aaa first by name ${Date.now()}`]);
  const [question] = await query<{ id: number }>(`INSERT INTO questions (dataset_id, key, text, reference) VALUES ($1, 'q1', 'Q?', 'A') RETURNING id`, [other!.id]);
  await query(`INSERT INTO responses (question_id, dataset_id, key, text, final_step) VALUES ($1, $2, 'r1', 'A', 'A')`, [question!.id, other!.id]);
  try {
    // Without a dataset looked at, the first by name.
    await signIn(page, "researcher", "/judgments");
    await expect(page).toHaveURL(new RegExp(`dataset=${other!.id}(&|$)`));
    await page.goto(`/judgments?dataset=${demo}`);
    await page.goto("/judgments");
    await expect(page).toHaveURL(new RegExp(`dataset=${demo}(&|$)`));
    await page.goto("/analytics/agreement");
    await expect(page).toHaveURL(new RegExp(`dataset=${demo}(&|$)`));
    await page.goto("/exports");
    await expect(page.getByLabel("Dataset")).toHaveValue(String(demo));
    // Looking at the other one makes it the start.
    await page.goto(`/datasets/${other!.id}`);
    await page.goto("/exports");
    await expect(page.getByLabel("Dataset")).toHaveValue(String(other!.id));
    // In the judgments list, another dataset starts without the filters of the one before.
    await page.goto(`/judgments?dataset=${demo}&label=correct&q=nixon`);
    await page.getByRole("form", { name: "Filters" }).getByRole("combobox", { name: "Dataset" }).selectOption(String(other!.id));
    await expect(page).toHaveURL(new RegExp(`/judgments\\?dataset=${other!.id}$`));
    await expect(page.getByTestId("match-count")).toHaveText("1 response matches");
  } finally {
    await query(`DELETE FROM responses WHERE dataset_id = $1`, [other!.id]);
    await query(`DELETE FROM questions WHERE dataset_id = $1`, [other!.id]);
    await query(`DELETE FROM datasets WHERE id = $1`, [other!.id]);
  }
});

test("on a phone the detail panel covers the list, and Tab stays out of the rows behind it", async ({ page }) => {
  const dataset = await demoDatasetId();
  await signIn(page, "viewer", `/judgments?dataset=${dataset}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator("[data-response-id]").nth(2).getByRole("link").first().click();
  const panel = page.getByTestId("detail-panel");
  await expect(panel).toBeFocused();
  // Backwards and forwards from the panel: never a row of the table behind it.
  for (const key of ["Shift+Tab", "Shift+Tab", "Tab", "Tab", "Tab", "Tab"]) {
    await page.keyboard.press(key);
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="judgments-table"]')))).toBe(false);
  }
  expect(await page.evaluate(() => Boolean(document.querySelector('[data-testid="judgments-table"]')?.closest("[inert]")))).toBe(true);
  await panel.getByRole("link", { name: "↓ Next" }).click();
  await expect(page).toHaveURL(/item=/);
  // Closed, the list is usable again.
  await panel.getByRole("link", { name: "Close detail" }).click();
  await expect(panel).toBeHidden();
  expect(await page.evaluate(() => document.querySelector('[data-testid="judgments-table"]')?.closest("[inert]") ?? null)).toBeNull();
});
