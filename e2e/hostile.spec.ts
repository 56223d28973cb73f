// Untrusted text (questions, references, responses) is rendered as text: no script runs, no
// handler fires, no javascript: link is created (the data goes in through the CLI importer).
// And what is secret on the server stays there.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { databaseInfo, query, screenshot, signIn } from "./helpers";

test("a response with <script>, <img onerror> and a javascript: link is rendered inert", async ({ page }) => {
  const db = databaseInfo();
  const env = { ...process.env, STUDIO_DATA_DIR: db.dataDir, ...(db.embedded ? {} : { DATABASE_URL: db.url }) };
  if (db.embedded) delete env.DATABASE_URL;
  execFileSync("npx", ["tsx", "scripts/studio.ts", "import", "e2e/fixtures/hostile.jsonl", "--dataset", "hostile-e2e"], { env, stdio: "pipe" });
  const [row] = await query<{ id: number; dataset_id: number }>(`SELECT id, dataset_id FROM responses WHERE external_id = 'hostile-1'`);

  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(page, "viewer", `/judgments?dataset=${row!.dataset_id}&item=${row!.id}`);
  const panel = page.getByTestId("detail-panel");
  await expect(panel.getByTestId("response-text")).toContainText("<script>window.__xss = 'response'; alert('xss')</script>");
  await expect(panel).toContainText(`<img src=x onerror="window.__xss='reference'">`);
  await page.goto(`/datasets/${row!.dataset_id}`);
  await expect(page.locator("main")).toContainText("<script>window.__xss = 'question'</script>");
  await screenshot(page, "hostile-text");

  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  expect(await page.locator("main img").count()).toBe(0);
  expect(await page.locator("main b").count()).toBe(0);
});

test("no secret reaches the browser: the auth secret and database URL appear in no page or script", async ({ page }) => {
  const db = databaseInfo();
  const secret = readFileSync(path.join(db.dataDir, "auth-secret"), "utf8").trim();
  const bodies: string[] = [];
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (type.includes("javascript") || type.includes("html") || type.includes("json") || type.includes("x-component")) {
      bodies.push(await response.text().catch(() => ""));
    }
  });
  await signIn(page, "admin", "/datasets");
  // each page settles (its streamed parts, prefetches) before the next: their bodies are read too
  for (const path of ["/judgments", "/agreement", "/admin/users", "/datasets/1"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  expect(bodies.length).toBeGreaterThan(10);
  const dbUrl = new URL(db.url);
  for (const body of bodies) {
    expect(body).not.toContain(secret);
    expect(body).not.toContain(`${dbUrl.host}${dbUrl.pathname}`);
  }
});

test("ids beyond any row and NUL in a filter get not found or a clear error, never a server error", async ({ page }) => {
  // 99999999999 is past the largest integer id (2^31 - 1): the database would refuse to compare it.
  const huge = "99999999999";
  await signIn(page, "admin");
  for (const path of [`/datasets/${huge}`, `/runs/${huge}`, `/judges/${huge}`, `/exports/${huge}`, `/imports/${huge}`, `/review/${huge}`, `/review/${huge}/label`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" }), path).toBeVisible();
  }
  // a filter naming no dataset or holding NUL is refused with a message, on the page
  for (const path of [`/judgments?dataset=${huge}`, `/judgments?dataset=1&subject=%00`, `/judgments?dataset=1&verdict=${huge}:YES`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByText("This page could not be shown"), path).toHaveCount(0);
  }
  const analytics = await page.goto(`/analytics?dataset=${huge}`);
  expect(analytics?.status()).toBe(200);
  await expect(page.getByText("This page could not be shown")).toHaveCount(0);
  // the REST API says what is wrong with the id
  const api = await page.request.get(`/api/v1/runs/${huge}`, { failOnStatusCode: false });
  expect(api.status()).toBe(422);
  expect((await api.json()).error.code).toBe("INVALID");
});
