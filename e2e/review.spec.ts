// Expert review end to end: a researcher makes a queue from a judgments filter, an expert clears
// it with the keyboard alone (with an undo), two tabs label one item at once, blind mode keeps the
// judges from the browser until the label exists, a viewer cannot label, bulk relabel and its
// undo, and hostile text stays inert. Label -> next item time is measured and printed.
import { expect, test, type Page, type Request } from "@playwright/test";
import { query, ROLES, screenshot, signIn } from "./helpers";
import { importFixture, makeQueue, seedReview, unlabeled, userId } from "./review-helpers";

/** Times from a key press to the next item on screen (next animation frame after the DOM change). */
async function startTiming(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __times: number[]; __down: number | null; __shown: string | null };
    w.__times = [];
    w.__down = null;
    w.__shown = document.querySelector("[data-testid=review-item]")?.getAttribute("data-response-id") ?? null;
    document.addEventListener("keydown", () => (w.__down = performance.now()), true);
    new MutationObserver(() => {
      const id = document.querySelector("[data-testid=review-item]")?.getAttribute("data-response-id") ?? null;
      if (id === w.__shown) return;
      w.__shown = id;
      const down = w.__down;
      w.__down = null;
      if (down !== null) requestAnimationFrame(() => w.__times.push(performance.now() - down));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

const shownId = (page: Page) => page.getByTestId("review-item").getAttribute("data-response-id");

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { n: sorted.length, median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

test("a researcher makes a queue from a filter; an expert clears it with the keyboard alone, with an undo", async ({ browser }) => {
  test.setTimeout(180_000);
  const { datasetId, judgeId } = await seedReview();

  // The researcher filters "Big judge says YES" (a confusion-matrix cell is such a filter) and samples 20.
  const researcher = await browser.newPage();
  await signIn(researcher, "researcher", `/judgments?dataset=${datasetId}&verdict=${judgeId}:YES`);
  await expect(researcher.getByTestId("match-count")).toHaveText("24 responses match");
  await researcher.getByRole("link", { name: "Create review queue" }).click();
  await expect(researcher.getByTestId("new-queue-filter")).toHaveText("Big judge (72B) says YES");
  await researcher.getByLabel("Name").fill("Keyboard e2e");
  await researcher.getByLabel("Instructions for the experts (optional)").fill("Judge the final answer only, not the reasoning.");
  await researcher.getByLabel("Random sample of a size").check();
  await researcher.getByLabel("Number of items").fill("20");
  await researcher.getByLabel("Seed").fill("3");
  await expect(researcher.getByTestId("queue-count")).toHaveText("20 items (of 24 matching)");
  // A band starts on the filter's judge, and the count says what the band leaves of the filter's 24.
  await researcher.getByLabel("Only items whose judge score lies in a band").check();
  await expect(researcher.getByRole("combobox", { name: /^Judge/ })).toHaveValue(String(judgeId));
  await expect(researcher.getByTestId("queue-count")).toHaveText(/^\d+ items \(of \d+ in the band; 24 match the filter\)$/);
  await researcher.getByLabel("Only items whose judge score lies in a band").uncheck();
  await expect(researcher.getByTestId("queue-count")).toHaveText("20 items (of 24 matching)");
  await screenshot(researcher, "review-new-queue");
  await researcher.getByRole("button", { name: "Create queue" }).click();
  await expect(researcher).toHaveURL(/\/review\/\d+$/);
  const queueId = Number(new URL(researcher.url()).pathname.split("/").pop());
  await expect(researcher.getByTestId("queue-source")).toHaveText("Big judge (72B) says YES; random 20 (seed 3)");
  const items = await query<{ response_id: number }>(`SELECT response_id FROM review_items WHERE queue_id = $1 ORDER BY position`, [queueId]);
  expect(items).toHaveLength(20);
  // The same 20 as md5(seed:id) order picks, computed here independently.
  const expected = await query<{ id: number }>(
    `SELECT r.id FROM responses r JOIN judgments j ON j.response_id = r.id AND j.judge_id = $2 AND j.verdict = 'YES'
     WHERE r.dataset_id = $1 ORDER BY md5('3:' || r.id::text), r.id LIMIT 20`,
    [datasetId, judgeId],
  );
  expect(items.map((i) => i.response_id)).toEqual(expected.map((r) => r.id));

  // The expert: keyboard only from here.
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await signIn(page, "expert", `/review/${queueId}/label`);
  await expect(page.getByTestId("review-item")).toBeVisible();
  await expect(page.getByTestId("judges-hidden")).toBeVisible();
  // The queue's instructions, where the expert labels.
  await expect(page.getByTestId("review-instructions")).toContainText("Judge the final answer only, not the reasoning.");
  await screenshot(page, "review-screen");
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  // A modal dialog: the focus is in it (on its Close button), not on the page behind.
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" }).getByRole("button", { name: "Close" })).toBeFocused();
  await screenshot(page, "review-shortcuts");
  // A label key pressed while the shortcuts are shown labels nothing.
  const behind = await shownId(page);
  await page.keyboard.press("y");
  await page.waitForTimeout(500);
  await expect(page.getByTestId("review-item")).toHaveAttribute("data-response-id", behind!);
  expect(await query(`SELECT 1 FROM expert_labels WHERE response_id = $1 AND source = 'studio'`, [Number(behind)])).toHaveLength(0);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeHidden();
  await startTiming(page);

  const seen: string[] = [];
  let undone: string | null = null;
  for (let i = 0; i < 20; i++) {
    const id = (await shownId(page))!;
    seen.push(id);
    if (i === 4) {
      // E focuses the note; Esc leaves it; the note goes with the label.
      await page.keyboard.press("e");
      await page.keyboard.type("checked the units");
      await page.keyboard.press("Escape");
    }
    await page.keyboard.press(i % 3 === 0 ? "n" : "y");
    if (i === 19) break; // the last one: the finished state follows
    await expect(page.getByTestId("review-item")).not.toHaveAttribute("data-response-id", id);
    // A screen reader is told what was done and which item is shown now.
    if (i === 0) await expect(page.getByTestId("review-announcement")).toContainText(/^Labeled incorrect\. Item 2 of \d+/);
    if (i === 9) {
      // Z: back to the item just labeled, its label taken back; label it again.
      await page.keyboard.press("z");
      await expect(page.getByTestId("review-item")).toHaveAttribute("data-response-id", id);
      await expect(page.getByRole("status")).toContainText("Undone");
      undone = id;
      await page.keyboard.press("u");
      await expect(page.getByTestId("review-item")).not.toHaveAttribute("data-response-id", id);
    }
    await page.waitForTimeout(120); // a quick human pace between items
  }
  await expect(page.getByTestId("review-finished")).toBeVisible();
  await expect(page.getByTestId("review-finished")).toContainText("You labeled 20 items");
  await screenshot(page, "review-finished");
  expect(new Set(seen).size).toBe(20);

  const times = await page.evaluate(() => (window as unknown as { __times: number[] }).__times);
  // Reference in the same run: one round trip of the claim request (what a label -> next item
  // would cost without prefetching), measured from the same page.
  const roundTrips = await page.evaluate(async (id) => {
    const out: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await fetch(`/api/v1/review/queues/${id}/claim`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ count: 5 }) });
      out.push(performance.now() - t);
    }
    return out;
  }, queueId);
  const label = summary(times);
  const reference = summary(roundTrips);
  console.log(
    `[bench] label -> next item: median ${label.median.toFixed(1)} ms, p95 ${label.p95.toFixed(1)} ms, max ${label.max.toFixed(1)} ms over ${label.n} labels; ` +
      `reference (one claim round trip): median ${reference.median.toFixed(1)} ms; ratio ${(label.median / reference.median).toFixed(3)}`,
  );
  expect(label.n).toBeGreaterThanOrEqual(20);

  // The database: 20 labels from the expert on the queue's items, each change in the history.
  const expert = await userId("expert@demo.studio");
  const labels = await query<{ response_id: number; value: string; note: string; version: number }>(
    `SELECT l.response_id, l.value::text, l.note, l.version FROM expert_labels l JOIN review_items i ON i.response_id = l.response_id AND i.queue_id = $1
     WHERE l.annotator = $2 ORDER BY l.response_id`,
    [queueId, expert],
  );
  expect(labels).toHaveLength(20);
  expect(labels.find((l) => String(l.response_id) === seen[4])).toMatchObject({ note: "checked the units" });
  const undoneHistory = await query<{ old_value: string | null; new_value: string | null; version: number }>(
    `SELECT old_value::text, new_value::text, version FROM expert_label_history WHERE response_id = $1 AND annotator = $2 ORDER BY id`,
    [Number(undone), expert],
  );
  expect(undoneHistory).toEqual([
    { old_value: null, new_value: "incorrect", version: 1 }, // the 10th label: i = 9, a multiple of 3 -> N
    { old_value: "incorrect", new_value: null, version: 2 },
    { old_value: null, new_value: "unsure", version: 3 },
  ]);
  const [assignments] = await query<{ done: number }>(`SELECT count(*) FILTER (WHERE state = 'done')::int AS done FROM review_assignments WHERE queue_id = $1`, [queueId]);
  expect(assignments!.done).toBe(20);

  // After a reload, Z still undoes: the last label given (the 20th) comes back with its item,
  // and the one before it (the 19th) after it.
  await page.reload();
  await expect(page.getByTestId("review-finished")).toBeVisible();
  await page.keyboard.press("z");
  await expect(page.getByTestId("review-item")).toHaveAttribute("data-response-id", seen[19]!);
  await expect(page.getByRole("status")).toContainText("Undone: the label is removed");
  await expect(page.getByTestId("review-progress")).toContainText("You have labeled 19");
  await page.keyboard.press("z");
  await expect(page.getByTestId("review-item")).toHaveAttribute("data-response-id", seen[18]!);
  expect(await query(`SELECT 1 FROM expert_labels WHERE response_id = ANY($1::int[]) AND annotator = $2`, [[Number(seen[18]), Number(seen[19])], expert])).toHaveLength(0);
  // Labelled again, in the order shown.
  await page.keyboard.press("y");
  await expect(page.getByTestId("review-item")).toHaveAttribute("data-response-id", seen[19]!);
  await page.keyboard.press("y");
  await expect(page.getByTestId("review-finished")).toBeVisible();
  await expect.poll(async () => (await query(`SELECT 1 FROM expert_labels WHERE response_id = ANY($1::int[]) AND annotator = $2 AND value = 'correct'`, [[Number(seen[18]), Number(seen[19])], expert])).length).toBe(2);

  // The queue page shows the progress.
  await researcher.goto(`/review/${queueId}`);
  await expect(researcher.getByTestId("queue-progress")).toContainText("20 of 20 items labeled by 1 expert");
  await expect(researcher.getByTestId("member-progress")).toContainText("Demo expert");
  await screenshot(researcher, "review-queue");
});

test("two tabs label the same item at once: one wins, the other is told the current label", async ({ browser }) => {
  const { datasetId } = await seedReview();
  const queueId = await makeQueue(datasetId, "Conflict e2e", await unlabeled(datasetId, 2), { blind: false });
  const a = await browser.newPage();
  const b = await browser.newPage();
  await signIn(a, "expert", `/review/${queueId}/label`);
  await signIn(b, "expert", `/review/${queueId}/label`);
  const id = await shownId(a);
  expect(await shownId(b)).toBe(id); // the same expert holds the same item in both tabs
  await a.keyboard.press("y");
  await expect(a.getByTestId("review-item")).not.toHaveAttribute("data-response-id", id!);
  await expect.poll(async () => (await query(`SELECT 1 FROM expert_labels WHERE response_id = $1`, [Number(id)])).length).toBe(1);
  await b.keyboard.press("n");
  const alert = b.getByTestId("review-problems");
  await expect(alert).toContainText(`Not saved, response ${id}: Your label changed elsewhere meanwhile: it is now "correct" (version 1).`);
  await alert.getByRole("button", { name: "Show it" }).click();
  await expect(b.getByTestId("review-item")).toHaveAttribute("data-response-id", id!);
  await expect(b.getByTestId("save-status")).toHaveText("not saved: changed elsewhere");
  await screenshot(b, "review-conflict");
  const rows = await query<{ value: string; version: number }>(`SELECT value::text, version FROM expert_labels WHERE response_id = $1`, [Number(id)]);
  expect(rows).toEqual([{ value: "correct", version: 1 }]);
});

test("blind mode: no verdict or score reaches the browser before the label; an open queue shows them", async ({ browser }) => {
  const { datasetId } = await seedReview();
  const [first, second, third] = await unlabeled(datasetId, 3);
  const blindQueue = await makeQueue(datasetId, "Blind e2e", [first!, second!], { blind: true });
  const page = await browser.newPage();
  const bodies: string[] = [];
  page.on("response", async (response) => {
    if (response.request().resourceType() === "document" || response.url().includes("/api/v1/review/") || response.headers()["content-type"]?.includes("x-component")) {
      bodies.push(await response.text().catch(() => ""));
    }
  });
  await signIn(page, "expert", `/review/${blindQueue}/label`);
  await expect(page.getByTestId("judges-hidden")).toBeVisible();
  await expect(page.locator("main")).not.toContainText("P(YES)");
  // Both items are in the browser now (prefetched); none of their judgments is.
  await expect.poll(() => bodies.some((b) => b.includes(`"responseId":${second}`) || b.includes(`\\"responseId\\":${second}`))).toBe(true);
  for (const body of bodies) {
    expect(body).not.toMatch(/\\?"verdict\\?":\\?"(YES|NO)/);
    expect(body).not.toContain("Big judge");
  }
  await page.keyboard.press("y");
  await page.keyboard.press("k");
  await expect(page.getByTestId("judges-shown")).toContainText("Big judge (72B)");
  await expect(page.getByTestId("judges-shown")).toContainText("P(YES)");
  await screenshot(page, "review-blind-revealed");
  // Undoing the label hides them again: the item is to be judged afresh, blind.
  await page.keyboard.press("z");
  await expect(page.getByText("Undone: the label is removed")).toBeVisible();
  await expect(page.getByTestId("judges-hidden")).toBeVisible();
  await expect(page.locator("main")).not.toContainText("P(YES)");

  const openQueue = await makeQueue(datasetId, "Open e2e", [third!], { blind: false });
  await page.goto(`/review/${openQueue}/label`);
  await expect(page.getByTestId("judges-shown")).toContainText("Big judge (72B)");
});

test("a viewer cannot label: no page, no claim, and a replayed label action is refused", async ({ browser, request }) => {
  const { datasetId } = await seedReview();
  const [target] = await unlabeled(datasetId, 1);
  const queueId = await makeQueue(datasetId, "Viewer e2e", [target!], { blind: true });

  const viewer = await browser.newPage();
  await signIn(viewer, "viewer", "/review");
  await expect(viewer.locator(`[data-queue-id="${queueId}"]`)).toBeVisible();
  await expect(viewer.locator(`[data-queue-id="${queueId}"]`).getByRole("link", { name: "Label" })).toHaveCount(0);
  await viewer.goto(`/review/${queueId}/label`);
  await expect(viewer.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  const claim = await viewer.request.post(`/api/v1/review/queues/${queueId}/claim`, { data: { count: 1 }, failOnStatusCode: false });
  expect(claim.status()).toBe(403);
  const anonymous = await request.post(`/api/v1/review/queues/${queueId}/claim`, { data: { count: 1 }, failOnStatusCode: false });
  expect(anonymous.status()).toBe(401);

  // Record the expert's label action and replay it with the viewer's session.
  const expert = await browser.newPage();
  await signIn(expert, "expert", `/review/${queueId}/label`);
  // The item is fetched after the page loads; its keys work once it is shown.
  await expect(expert.getByTestId("review-item")).toBeVisible();
  const sent = expert.waitForRequest((r: Request) => r.method() === "POST" && !!r.headers()["next-action"]);
  await expert.keyboard.press("u");
  const action = await sent;
  await expect.poll(async () => (await query(`SELECT 1 FROM expert_labels WHERE response_id = $1`, [target])).length).toBe(1);
  // Take the expert's label away again (and its gold label with it), so the replay's effect shows.
  await query(`DELETE FROM expert_labels WHERE response_id = $1`, [target]);
  await query(`UPDATE responses SET gold_label = NULL WHERE id = $1`, [target]);
  const replay = await viewer.request.post(action.url(), {
    headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
    data: action.postData() ?? "",
  });
  expect(await replay.text()).toContain("FORBIDDEN");
  expect(await query(`SELECT 1 FROM expert_labels WHERE response_id = $1`, [target])).toHaveLength(0);
});

test("bulk relabel from a filtered view: count, confirm, history, and undo as one step", async ({ page, browser }) => {
  const { datasetId, judgeId } = await seedReview();
  const researcher = await userId("researcher@demo.studio");
  // "Big judge says NO": n in {5, 10, 15, 20, 25} and the hostile item = 6 responses.
  await signIn(page, "researcher", `/judgments?dataset=${datasetId}&verdict=${judgeId}:NO`);
  await expect(page.getByTestId("match-count")).toHaveText("6 responses match");
  const goldBefore = await query<{ id: number; gold: string | null }>(`SELECT id, gold_label::text AS gold FROM responses WHERE dataset_id = $1 ORDER BY id`, [datasetId]);
  await page.getByRole("link", { name: "Bulk relabel" }).click();
  await expect(page.getByTestId("bulk-filter")).toHaveText("Big judge (72B) says NO");
  await page.getByLabel("New label").selectOption("incorrect");
  await page.getByLabel("Note (why)").fill("the judge was right here");
  const sent = page.waitForRequest((r: Request) => r.method() === "POST" && !!r.headers()["next-action"]);
  await page.getByRole("button", { name: "Count changes" }).click();
  await expect(page.getByTestId("bulk-preview")).toContainText("6 responses match. 6 labels will change (6 new)");
  await screenshot(page, "bulk-relabel-preview");

  // Experts may not bulk relabel: no page, and the researcher's action replayed with an expert's session is refused.
  const expert = await browser.newPage();
  await signIn(expert, "expert", "/review");
  for (const path of [`/review/bulk?dataset=${datasetId}`, `/review/new?dataset=${datasetId}`]) {
    await expert.goto(path);
    await expect(expert.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  }
  const action = await sent;
  const replay = await expert.request.post(action.url(), {
    headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
    data: action.postData() ?? "",
  });
  expect(await replay.text()).toContain("FORBIDDEN");
  await page.getByRole("button", { name: "Confirm: relabel 6 as incorrect" }).click();
  await expect(page.getByRole("status")).toContainText("Relabeled 6 responses");
  const labels = await query<{ n: number }>(`SELECT count(*)::int AS n FROM expert_labels WHERE annotator = $1 AND value = 'incorrect'`, [researcher]);
  expect(labels[0]!.n).toBe(6);
  const [batch] = await query<{ id: number; changed: number }>(`SELECT id, changed FROM label_batches WHERE kind = 'bulk_relabel' ORDER BY id DESC LIMIT 1`);
  expect(batch!.changed).toBe(6);
  const history = await query<{ n: number }>(`SELECT count(*)::int AS n FROM expert_label_history WHERE batch_id = $1 AND new_value = 'incorrect' AND new_note = 'the judge was right here'`, [batch!.id]);
  expect(history[0]!.n).toBe(6);

  await page.getByTestId("bulk-batches").getByRole("button", { name: "Undo this step" }).first().click();
  await expect(page.getByTestId("bulk-undone")).toContainText("Undone: 6 labels restored");
  await expect(page.getByTestId("bulk-batches")).toContainText("undone by Demo researcher");
  await screenshot(page, "bulk-relabel-undone");
  const after = await query<{ n: number }>(`SELECT count(*)::int AS n FROM expert_labels WHERE annotator = $1`, [researcher]);
  expect(after[0]!.n).toBe(0);
  const goldAfter = await query<{ id: number; gold: string | null }>(`SELECT id, gold_label::text AS gold FROM responses WHERE dataset_id = $1 ORDER BY id`, [datasetId]);
  expect(goldAfter).toEqual(goldBefore);
  const undoRows = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM expert_label_history h JOIN label_batches b ON b.id = h.batch_id WHERE b.undoes_id = $1 AND h.new_value IS NULL`,
    [batch!.id],
  );
  expect(undoRows[0]!.n).toBe(6);
});

test("hostile text on the review screen stays inert (both hostile fixtures); LaTeX renders", async ({ page }) => {
  const { datasetId } = await seedReview();
  const [hostile] = await unlabeled(datasetId, 1, { hostile: true });
  const markdownQueue = await makeQueue(datasetId, "Hostile markdown e2e", [hostile!], { blind: false });
  // e2e/fixtures/hostile.jsonl (raw HTML, script, handlers, a javascript: link) in a dataset of its own.
  importFixture("e2e/fixtures/hostile.jsonl", "hostile-review-e2e");
  const [html] = await query<{ id: number; dataset_id: number }>(
    `SELECT r.id, r.dataset_id FROM responses r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'hostile-review-e2e' AND r.external_id = 'hostile-1'`,
  );
  const htmlQueue = await makeQueue(html!.dataset_id, "Hostile HTML e2e", [html!.id], { blind: false });

  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const outside: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith("http://localhost")) outside.push(r.url());
  });
  await signIn(page, "expert", `/review/${markdownQueue}/label`);
  const item = page.getByTestId("review-item");
  await expect(item).toContainText("<script>window.__xss='q'</script>");
  await expect(page.getByTestId("review-response")).toContainText("<script>window.__xss='resp'</script>");
  await expect(page.getByTestId("review-response")).toContainText("[image: tracker]");
  await expect(page.getByTestId("review-final-step").locator(".katex")).toHaveCount(1); // $E = mc^2$
  // Money stays text, not math; a "# heading" of the data is no heading of the page.
  await expect(page.getByTestId("review-response")).toContainText("It costs $5 and $10 for two.");
  await expect(page.getByTestId("review-response").locator(".katex")).toHaveCount(1);
  await expect(page.getByTestId("review-response")).toContainText("Not a heading of the page");
  await expect(page.getByTestId("review-response").getByRole("heading")).toHaveCount(0);
  await screenshot(page, "review-hostile");
  const inert = async () => {
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await item.locator("img, script, iframe, a:not([href^='http'])").count()).toBe(0);
    expect(outside).toEqual([]);
  };
  await inert();

  await page.goto(`/review/${htmlQueue}/label`);
  await expect(page.getByTestId("review-response")).toContainText("<script>window.__xss = 'response'; alert('xss')</script>");
  await expect(page.getByTestId("review-reference")).toContainText(`<img src=x onerror="window.__xss='reference'">`);
  await expect(item).toContainText("<script>window.__xss = 'question'</script>");
  await inert();
});

test("an adjudicator decides an item whose experts disagree; the decision becomes its gold label", async ({ page }) => {
  const { datasetId } = await seedReview();
  const [target] = await unlabeled(datasetId, 1);
  // Two imported annotators who disagree: a tie, so no gold label yet.
  await query(`INSERT INTO expert_labels (response_id, annotator, value, source) VALUES ($1, 'annotator1', 'correct', 'import'), ($1, 'annotator2', 'incorrect', 'import')`, [target]);
  await query(`UPDATE responses SET gold_label = NULL WHERE id = $1`, [target]);
  await signIn(page, "researcher", `/judgments?dataset=${datasetId}&item=${target}`);
  const panel = page.getByTestId("detail-panel");
  await expect(panel.getByTestId("adjudication")).toContainText("The experts disagree.");
  await panel.getByTestId("adjudication").getByLabel("Reason for the decision").fill("the reference names a different year");
  await panel.getByTestId("adjudication").getByRole("button", { name: "incorrect" }).click();
  await expect(panel.getByTestId("adjudication")).toContainText("Decision: incorrect v1");
  await expect(panel.getByTestId("adjudication-note")).toHaveText("“the reference names a different year”");
  await expect(panel).toContainText("the adjudicator's decision (Demo researcher, v1)");
  // The decision is in the label history, with its reason, beside the experts' labels.
  await expect(panel.getByTestId("label-history")).toContainText("Demo researcher, adjudicating: — → incorrect · “the reference names a different year” (decision v1)");
  await screenshot(page, "adjudication");
  const [row] = await query<{ gold: string }>(`SELECT gold_label::text AS gold FROM responses WHERE id = $1`, [target]);
  expect(row!.gold).toBe("incorrect");
  const [audit] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'adjudication.set' AND entity_id = $1`, [String(target)]);
  expect(audit!.n).toBe(1);
});

test("deciding an item in the list of disputed items: the panel stays on it, and Next goes on to the next disputed one", async ({ page }) => {
  const { datasetId } = await seedReview();
  // Three items made disputed (experts said correct and incorrect, nobody decided), and put back
  // as they were at the end, for the tests after this one.
  const targets = (
    await query<{ id: number }>(
      `SELECT r.id FROM responses r WHERE r.dataset_id = $1 AND r.external_id IS DISTINCT FROM 'review-hostile'
         AND NOT EXISTS (SELECT 1 FROM adjudications a WHERE a.response_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM expert_labels l WHERE l.response_id = r.id AND l.annotator IN ('annotator1', 'annotator2'))
       ORDER BY r.id LIMIT 3 OFFSET 2`,
      [datasetId],
    )
  ).map((r) => r.id);
  expect(targets).toHaveLength(3);
  const before = await query<{ id: number; gold: string | null }>(`SELECT id, gold_label::text AS gold FROM responses WHERE id = ANY($1::int[])`, [targets]);
  const added: number[] = [];
  for (const id of targets) {
    expect(await query(`SELECT 1 FROM adjudications WHERE response_id = $1`, [id])).toHaveLength(0);
    const rows = await query<{ id: number }>(
      `INSERT INTO expert_labels (response_id, annotator, value, source) VALUES ($1, 'annotator1', 'correct', 'import'), ($1, 'annotator2', 'incorrect', 'import') ON CONFLICT DO NOTHING RETURNING id`,
      [id],
    );
    added.push(...rows.map((r) => r.id));
    await query(`UPDATE responses SET gold_label = NULL WHERE id = $1`, [id]);
  }
  const disputed = (await query<{ id: number }>(
    `SELECT r.id FROM responses r WHERE r.dataset_id = $1 AND NOT EXISTS (SELECT 1 FROM adjudications a WHERE a.response_id = r.id)
       AND EXISTS (SELECT 1 FROM expert_labels l WHERE l.response_id = r.id AND l.value = 'correct')
       AND EXISTS (SELECT 1 FROM expert_labels l WHERE l.response_id = r.id AND l.value = 'incorrect') ORDER BY r.id`,
    [datasetId],
  )).map((r) => r.id);
  const middle = targets[1]!;
  const after = disputed[disputed.indexOf(middle) + 1]!;
  expect(after).toBeDefined();
  await signIn(page, "researcher", `/judgments?dataset=${datasetId}&label=disputed&item=${middle}`);
  const panel = page.getByTestId("detail-panel");
  await panel.getByTestId("adjudication").getByRole("button", { name: "correct", exact: true }).click();
  await expect(panel.getByTestId("adjudication")).toContainText("Decision: correct v1");
  // The list no longer holds it; the panel does, with its neighbours.
  await expect(page.locator(`tr[data-response-id="${middle}"]`)).toHaveCount(0);
  await expect(panel.getByRole("link", { name: "Next" })).toBeVisible();
  await page.keyboard.press("j");
  await expect(page).toHaveURL(new RegExp(`item=${after}(&|$)`));
  await expect(panel.getByTestId("adjudication")).toContainText("The experts disagree.");

  await query(`DELETE FROM adjudications WHERE response_id = ANY($1::int[])`, [targets]);
  await query(`DELETE FROM expert_labels WHERE id = ANY($1::int[])`, [added]);
  for (const { id, gold } of before) await query(`UPDATE responses SET gold_label = $2::label_value WHERE id = $1`, [id, gold]);
});

test("two adjudicators decide one item at once: the second is told the decision now stored and keeps the reason typed", async ({ page, browser }) => {
  const { datasetId } = await seedReview();
  // An item no annotator has labeled yet (the other adjudication test takes the first unlabeled one).
  const [target] = (await unlabeled(datasetId, 30)).slice(-1);
  await query(`DELETE FROM expert_labels WHERE response_id = $1 AND annotator IN ('annotator1', 'annotator2')`, [target]);
  await query(`DELETE FROM adjudications WHERE response_id = $1`, [target]);
  await query(`INSERT INTO expert_labels (response_id, annotator, value, source) VALUES ($1, 'annotator1', 'correct', 'import'), ($1, 'annotator2', 'incorrect', 'import')`, [target]);
  await query(`UPDATE responses SET gold_label = NULL WHERE id = $1`, [target]);
  const admin = await browser.newPage();
  await signIn(admin, "admin", `/judgments?dataset=${datasetId}&item=${target}`);
  await expect(admin.getByTestId("adjudication")).toContainText("No adjudicator has decided yet");
  await signIn(page, "researcher", `/judgments?dataset=${datasetId}&item=${target}`);
  await page.getByTestId("adjudication").getByRole("button", { name: "unsure" }).click();
  await expect(page.getByTestId("adjudication")).toContainText("Decision: unsure v1");
  // The admin, on the page as it was.
  const stale = admin.getByTestId("adjudication");
  await stale.getByLabel("Reason for the decision").fill("admin says incorrect, see the source");
  await stale.getByRole("button", { name: "incorrect" }).click();
  await expect(stale.getByRole("alert")).toHaveText('The decision changed meanwhile: it is now "unsure" (version 1).');
  await expect(stale).toContainText("Decision: unsure v1");
  await expect(stale.getByLabel("Reason for the decision")).toHaveValue("admin says incorrect, see the source");
  const [row] = await query<{ value: string; version: number }>(`SELECT value::text, version FROM adjudications WHERE response_id = $1`, [target]);
  expect(row).toEqual({ value: "unsure", version: 1 });
  // Deciding again from what is stored now goes through.
  await stale.getByRole("button", { name: "incorrect" }).click();
  await expect(stale).toContainText("Decision: incorrect v2");
  await admin.close();
});

test("review pages check the role, as every role and as nobody", async ({ browser }) => {
  const { datasetId } = await seedReview();
  const [target] = await unlabeled(datasetId, 1);
  const queueId = await makeQueue(datasetId, "Roles e2e", [target!], { blind: true });
  // Who may open what (the label page also needs membership: only the demo expert is a member).
  const pages = [
    { path: "/review", allowed: ["viewer", "expert", "researcher", "admin"] },
    { path: `/review/${queueId}`, allowed: ["viewer", "expert", "researcher", "admin"] },
    { path: `/review/${queueId}/label`, allowed: ["expert"] },
    { path: `/review/new?dataset=${datasetId}`, allowed: ["researcher", "admin"] },
    { path: `/review/bulk?dataset=${datasetId}`, allowed: ["researcher", "admin"] },
  ];
  const anonymous = await browser.newPage();
  for (const { path } of pages) {
    await anonymous.goto(path);
    await expect(anonymous, `${path} as nobody`).toHaveURL(/\/login/);
  }
  for (const role of ROLES) {
    const page = await browser.newPage();
    await signIn(page, role, "/review");
    for (const { path, allowed } of pages) {
      await page.goto(path);
      const denied = page.getByRole("heading", { name: "You do not have access to this page" });
      if (allowed.includes(role)) await expect(denied, `${path} as ${role}`).toHaveCount(0);
      else await expect(denied, `${path} as ${role}`).toBeVisible();
    }
    await page.close();
  }
});

test("whoever made a queue deletes it after confirming; its labels stay; an expert cannot", async ({ page, browser }) => {
  const { datasetId } = await seedReview();
  const items = await unlabeled(datasetId, 2);
  const queueId = await makeQueue(datasetId, `to delete ${Date.now()}`, items, { blind: false });
  await query("UPDATE review_queues SET created_by_id = $2 WHERE id = $1", [queueId, await userId("researcher@demo.studio")]);
  // A label given through it, which must outlive it.
  await query(`INSERT INTO expert_labels (response_id, annotator, user_id, value, source) VALUES ($1, 'expert@demo.studio', $2, 'correct', 'review')`, [items[0], await userId("expert@demo.studio")]);

  const expert = await browser.newPage();
  await signIn(expert, "expert", `/review/${queueId}`);
  await expect(expert.getByRole("link", { name: "Start labeling" })).toBeVisible();
  await expect(expert.getByRole("button", { name: "Delete queue" })).toHaveCount(0);
  await expert.close();

  await signIn(page, "researcher", `/review/${queueId}`);
  await screenshot(page, "review-queue-delete");
  // Dismissed: nothing happens.
  page.once("dialog", (d) => void d.dismiss());
  await page.getByRole("button", { name: "Delete queue" }).click();
  await expect(page).toHaveURL(new RegExp(`/review/${queueId}$`));
  expect((await query<{ n: number }>("SELECT count(*)::int AS n FROM review_queues WHERE id = $1", [queueId]))[0]!.n).toBe(1);
  page.once("dialog", (d) => {
    expect(d.message()).toContain("and its 2 items? The labels experts gave through it stay.");
    void d.accept();
  });
  await page.getByRole("button", { name: "Delete queue" }).click();
  await expect(page).toHaveURL(/\/review$/);
  const [left] = await query<{ queues: number; items: number; labels: number }>(
    `SELECT (SELECT count(*)::int FROM review_queues WHERE id = $1) AS queues, (SELECT count(*)::int FROM review_items WHERE queue_id = $1) AS items,
       (SELECT count(*)::int FROM expert_labels WHERE response_id = $2) AS labels`,
    [queueId, items[0]],
  );
  expect(left).toEqual({ queues: 0, items: 0, labels: 1 });
  await query("DELETE FROM expert_labels WHERE response_id = $1 AND annotator = 'expert@demo.studio'", [items[0]]);
});

test("a queue's maker adds an expert, who may then label it, and removes them again", async ({ page, browser }) => {
  const { datasetId } = await seedReview();
  const items = await unlabeled(datasetId, 2);
  const queueId = await makeQueue(datasetId, `members ${Date.now()}`, items, { blind: true });
  await query("UPDATE review_queues SET created_by_id = $2 WHERE id = $1", [queueId, await userId("researcher@demo.studio")]);

  await signIn(page, "researcher", `/review/${queueId}`);
  // The only expert of a queue with overlap 1 cannot go: it would never be finished.
  const table = page.getByTestId("member-progress");
  page.once("dialog", (d) => void d.accept());
  await table.getByRole("row", { name: /Demo expert/ }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "it needs at least 1 expert." })).toBeVisible();
  // Add the researcher themselves (researchers label too); they are offered the queue at once.
  await page.getByLabel("Expert to add").selectOption({ label: "Demo researcher (researcher)" });
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(table).toContainText("Demo researcher");
  await expect(page.getByRole("link", { name: "Start labeling" })).toBeVisible();
  await screenshot(page, "review-queue-members");
  // Removed again (after confirming): no longer offered.
  page.once("dialog", (d) => void d.accept());
  await table.getByRole("row", { name: /Demo researcher/ }).getByRole("button", { name: "Remove" }).click();
  await expect(table).not.toContainText("Demo researcher");
  await expect(page.getByRole("link", { name: "Start labeling" })).toHaveCount(0);
  // An expert who did not make the queue has no such controls.
  const expert = await browser.newPage();
  await signIn(expert, "expert", `/review/${queueId}`);
  await expect(expert.getByLabel("Expert to add")).toHaveCount(0);
  await expert.close();
});
