// Roles are enforced on the server, not just hidden in the UI.
import { expect, test, type Request } from "@playwright/test";
import { demoDatasetId, query, ROLES, screenshot, signIn } from "./helpers";

async function labelTarget(dataset: number) {
  const [row] = await query<{ id: number }>(
    `SELECT r.id FROM responses r WHERE r.dataset_id = $1 AND r.gold_label = 'incorrect'
       AND (SELECT count(*) FROM expert_labels l WHERE l.response_id = r.id) = 2 ORDER BY r.id DESC LIMIT 1`,
    [dataset],
  );
  return row!.id;
}

test("a viewer cannot change a label: the UI offers no editor and a direct action call is refused", async ({ browser }) => {
  const dataset = await demoDatasetId();
  const target = await labelTarget(dataset);

  // A viewer sees labels read-only.
  const viewer = await browser.newPage();
  await signIn(viewer, "viewer", `/judgments?dataset=${dataset}&item=${target}`);
  await expect(viewer.getByTestId("label-readonly")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Save label" })).toHaveCount(0);
  await screenshot(viewer, "viewer-readonly");

  // Record the exact server-action request an expert's save sends...
  const expert = await browser.newPage();
  await signIn(expert, "expert", `/judgments?dataset=${dataset}&item=${target}`);
  const panel = expert.getByTestId("detail-panel");
  await panel.getByRole("radio", { name: "Unsure" }).click();
  const sent = expert.waitForRequest((r: Request) => r.method() === "POST" && !!r.headers()["next-action"]);
  await panel.getByRole("button", { name: "Save label" }).click();
  const action = await sent;
  await expect(panel).toContainText("version 1");

  // ...and replay it with the viewer's session: the server refuses it.
  const replay = await viewer.request.post(action.url(), {
    headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
    data: action.postData() ?? "",
  });
  expect(await replay.text()).toContain("FORBIDDEN");
  const viewerLabels = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM expert_labels l JOIN users u ON u.id = l.user_id WHERE u.email = 'viewer@demo.studio'`,
  );
  expect(viewerLabels[0]!.n).toBe(0);

  // Without any session the same call is refused too.
  const anonymous = await browser.newContext();
  const anon = await anonymous.request.post(action.url(), {
    headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
    data: action.postData() ?? "",
    maxRedirects: 0,
    failOnStatusCode: false,
  });
  expect(await anon.text()).not.toContain('"ok":true');
  const [count] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM expert_labels WHERE response_id = $1`, [target]);
  expect(count!.n).toBe(3); // two imported annotators + the expert, nothing from the replays
  await anonymous.close();
});

test("every REST route checks the role, as every role and as nobody", async ({ browser, request }) => {
  const dataset = await demoDatasetId();
  const [response] = await query<{ id: number }>(`SELECT id FROM responses WHERE dataset_id = $1 ORDER BY id LIMIT 1`, [dataset]);
  const [judge] = await query<{ id: number }>(`SELECT id FROM judges ORDER BY id LIMIT 1`);
  const routes = [
    { path: "/api/v1/datasets", min: "viewer" },
    { path: `/api/v1/datasets/${dataset}`, min: "viewer" },
    { path: `/api/v1/responses/${response!.id}`, min: "viewer" },
    { path: `/api/v1/judgments/export?dataset=${dataset}&label=unsure`, min: "researcher" },
    { path: "/api/v1/judges", min: "viewer" },
    { path: `/api/v1/judges/${judge!.id}`, min: "viewer" },
    { path: "/api/v1/runs", min: "viewer" },
  ] as const;
  for (const route of routes) {
    const res = await request.get(route.path, { failOnStatusCode: false });
    expect(res.status(), `${route.path} as nobody`).toBe(401);
  }
  for (const role of ROLES) {
    const page = await browser.newPage();
    await signIn(page, role);
    for (const route of routes) {
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(route.min);
      const res = await page.request.get(route.path, { failOnStatusCode: false });
      expect(res.status(), `${route.path} as ${role}`).toBe(allowed ? 200 : 403);
      if (!allowed) expect((await res.json()).error.code).toBe("FORBIDDEN");
    }
    await page.close();
  }
});

test("the export button is offered to researchers and admins only", async ({ page }) => {
  const dataset = await demoDatasetId();
  await signIn(page, "expert", `/judgments?dataset=${dataset}`);
  await expect(page.getByRole("link", { name: "Export JSONL" })).toHaveCount(0);
});

test("starting and controlling runs over REST needs the researcher role", async ({ browser, request }) => {
  const start = { dataset: "openqa-eval NQ301", judges: ["no such judge"] };
  expect((await request.post("/api/v1/runs", { data: start, failOnStatusCode: false })).status()).toBe(401);
  expect((await request.patch("/api/v1/runs/1", { data: { action: "pause" }, failOnStatusCode: false })).status()).toBe(401);
  expect((await request.patch("/api/v1/judges/1", { data: { archived: true }, failOnStatusCode: false })).status()).toBe(401);
  for (const role of ROLES) {
    const page = await browser.newPage();
    await signIn(page, role);
    const res = await page.request.post("/api/v1/runs", { data: start, failOnStatusCode: false });
    const patch = await page.request.patch("/api/v1/runs/999999", { data: { action: "pause" }, failOnStatusCode: false });
    const archive = await page.request.patch("/api/v1/judges/999999", { data: { archived: true }, failOnStatusCode: false });
    if (role === "viewer" || role === "expert") {
      expect(res.status(), `POST as ${role}`).toBe(403);
      expect(patch.status(), `PATCH as ${role}`).toBe(403);
      expect(archive.status(), `archive as ${role}`).toBe(403);
    } else {
      expect(archive.status(), `archive as ${role}`).toBe(404);
      // Past the role check: the judge and the run do not exist.
      expect(res.status(), `POST as ${role}`).toBe(404);
      expect((await res.json()).error.message).toContain('no judge "no such judge"');
      expect(patch.status(), `PATCH as ${role}`).toBe(404);
    }
    await page.close();
  }
});
