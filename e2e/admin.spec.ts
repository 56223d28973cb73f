// Admins manage users; nobody else reaches that page or its actions.
import { expect, test } from "@playwright/test";
import { query, ROLES, screenshot, signIn } from "./helpers";

test("an admin creates a user, who can sign in with the role given", async ({ page, browser }) => {
  await signIn(page, "admin", "/admin/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  const form = page.getByRole("form", { name: "New user" });
  const email = `annotator-${Date.now()}@example.org`;
  await form.getByLabel("Name").fill("Dr. Annotator");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel(/Password/).fill("a-long-enough-password");
  await form.getByLabel("Role").selectOption("expert");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toContainText(`Created ${email}`);
  await expect(page.getByTestId("users-table")).toContainText(email);
  await screenshot(page, "admin-users");

  const [row] = await query<{ role: string; password: string }>(
    `SELECT u.role::text, a.password FROM users u JOIN accounts a ON a.user_id = u.id WHERE u.email = $1`,
    [email],
  );
  expect(row!.role).toBe("expert");
  expect(row!.password).not.toContain("a-long-enough-password"); // stored hashed

  const other = await browser.newPage();
  await other.goto("/login");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill("a-long-enough-password");
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByTestId("current-role")).toHaveText("Expert");

  // Looking through the roles with the keyboard saves nothing: a closed list changes its value on
  // one arrow key. The change is saved with its button, and applies to their next request.
  await page.getByLabel(`Role of ${email}`).focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("button", { name: "Save role" })).toBeVisible();
  await expect(page.getByLabel(`Role of ${email}`)).toBeFocused();
  expect((await query<{ role: string }>(`SELECT role::text FROM users WHERE email = $1`, [email]))[0]!.role).toBe("expert");
  await page.getByLabel(`Role of ${email}`).selectOption("researcher");
  await page.getByRole("button", { name: "Save role" }).click();
  await expect.poll(async () => (await query<{ role: string }>(`SELECT role::text FROM users WHERE email = $1`, [email]))[0]!.role).toBe("researcher");
  await other.reload();
  await expect(other.getByTestId("current-role")).toHaveText("Researcher");
  await expect(page.getByRole("status").filter({ hasText: "saved: now researcher" })).toBeVisible();

  // Giving up one's own admin role asks first; declined, nothing changes.
  const me = (await query<{ email: string }>(`SELECT email FROM users WHERE email LIKE 'admin@demo%'`))[0]!.email;
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("Make yourself researcher?");
    void dialog.dismiss();
  });
  await page.getByLabel(`Role of ${me}`).selectOption("researcher");
  await page.getByRole("button", { name: "Save role" }).click();
  await page.getByRole("button", { name: "Keep admin" }).click();
  await expect(page.getByLabel(`Role of ${me}`)).toHaveValue("admin");
  expect((await query<{ role: string }>(`SELECT role::text FROM users WHERE email = $1`, [me]))[0]!.role).toBe("admin");
});

test("an admin disables an account (signed out at once, sign-in refused), sets its password and enables it", async ({ page, browser }) => {
  await signIn(page, "admin", "/admin/users");
  const email = `leaver-${Date.now()}@example.org`;
  const form = page.getByRole("form", { name: "New user" });
  await form.getByLabel("Name").fill("Leaver");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel(/Password/).fill("the-first-password");
  await form.getByLabel("Role").selectOption("expert");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("users-table")).toContainText(email);

  const other = await browser.newPage();
  const signInAs = async (password: string) => {
    await other.goto("/login");
    await other.getByLabel("Email").fill(email);
    await other.getByLabel("Password").fill(password);
    await other.getByRole("button", { name: "Sign in" }).click();
  };
  await signInAs("the-first-password");
  await expect(other.getByTestId("current-role")).toHaveText("Expert");

  const row = page.locator(`tr[data-email="${email}"]`);
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row.getByTestId("disabled")).toBeVisible();
  await other.reload();
  await expect(other).toHaveURL(/\/login/);
  await signInAs("the-first-password");
  await expect(other.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("This account is disabled");
  // Only the right password learns that: a wrong one gets the usual answer.
  await signInAs("not-the-password-at-all");
  await expect(other.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");

  // A new password, then enabled: the new one signs in, the old one no longer.
  await row.getByRole("button", { name: "Set password" }).click();
  await row.getByLabel(`New password for ${email}`).fill("the-second-password");
  await row.getByRole("button", { name: "Set", exact: true }).click();
  await expect(row.getByRole("status")).toContainText("password set");
  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row.getByTestId("disabled")).toHaveCount(0);
  await screenshot(page, "admin-users-controls");
  await signInAs("the-first-password");
  await expect(other.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");
  await signInAs("the-second-password");
  await expect(other.getByTestId("current-role")).toHaveText("Expert");
  await other.close();

  // The audit log shows what was done to the account, newest first, and filters by action.
  await page.getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  const events = page.getByTestId("audit-table").locator("tbody tr");
  const mine = await query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  const actions = await query<{ action: string }>(`SELECT action FROM audit_events WHERE entity = 'user' AND entity_id = $1 ORDER BY id DESC`, [mine[0]!.id]);
  expect(actions.map((a) => a.action).slice(0, 3)).toEqual(["user.enable", "user.password", "user.disable"]);
  await page.getByLabel("Object id").fill(mine[0]!.id);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(events).toHaveCount(actions.length);
  expect(await events.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-audit-action")))).toEqual(actions.map((a) => a.action));
  await expect(events.first()).toContainText(email);
  await page.getByLabel("Action").fill("user.disable");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(events).toHaveCount(1);
  await expect(events.first()).toContainText("Demo admin");
  await screenshot(page, "admin-audit");
});

for (const role of ROLES.filter((r) => r !== "admin")) {
  test(`a ${role} gets the 403 page for user and token management`, async ({ page }) => {
    await signIn(page, role);
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Tokens" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Audit" })).toHaveCount(0);
    for (const path of ["/admin/users", "/admin/tokens", "/admin/audit"]) {
      const response = await page.goto(path);
      expect(response!.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    }
  });
}

test("every page sends an anonymous visitor to the sign-in form", async ({ page }) => {
  for (const path of ["/", "/datasets", "/datasets/1", "/judgments", "/agreement", "/admin/users", "/admin/tokens", "/admin/audit"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/login/);
  }
});

test("an admin deletes a dataset after typing its name; other roles cannot, in the page or over REST", async ({ page, browser, request }) => {
  test.setTimeout(60_000);
  const name = `to-delete-${Date.now()}`;
  const [dataset = { id: -1 }] = await query<{ id: number }>("INSERT INTO datasets (name) VALUES ($1) RETURNING id", [name]);
  await query(
    `INSERT INTO questions (dataset_id, key, text, reference) SELECT $1, 'q' || g, 'Question ' || g, 'ref' FROM generate_series(1, 3) g`,
    [dataset.id],
  );
  await query(
    `INSERT INTO responses (question_id, dataset_id, key, text, final_step, sample_index)
     SELECT q.id, q.dataset_id, 'r' || s, 'answer ' || s, 'answer ' || s, s FROM questions q CROSS JOIN generate_series(0, 1) s WHERE q.dataset_id = $1`,
    [dataset.id],
  );
  const left = async () =>
    (await query<{ n: number }>("SELECT (SELECT count(*) FROM datasets WHERE id = $1) + (SELECT count(*) FROM questions WHERE dataset_id = $1) + (SELECT count(*) FROM responses WHERE dataset_id = $1) AS n", [dataset.id]))[0]!.n;
  expect(Number(await left())).toBe(1 + 3 + 6);

  // Over REST: sessions only, admins only.
  const remove = { data: { confirm: name }, failOnStatusCode: false };
  expect((await request.delete(`/api/v1/datasets/${dataset.id}`, remove)).status(), "as nobody").toBe(401);
  for (const role of ["viewer", "expert", "researcher"] as const) {
    const other = await browser.newPage();
    await signIn(other, role, `/datasets/${dataset.id}`);
    await expect(other.getByRole("heading", { name })).toBeVisible();
    await expect(other.getByTestId("delete-dataset"), `no delete form for ${role}`).toHaveCount(0);
    expect((await other.request.delete(`/api/v1/datasets/${dataset.id}`, remove)).status(), `as ${role}`).toBe(403);
    await other.close();
  }
  expect(Number(await left())).toBe(10);

  await signIn(page, "admin", `/datasets/${dataset.id}`);
  // A wrong name over REST changes nothing.
  const wrong = await page.request.delete(`/api/v1/datasets/${dataset.id}`, { data: { confirm: name.toUpperCase() }, failOnStatusCode: false });
  expect(wrong.status()).toBe(422);
  expect((await wrong.json()).error.message).toContain(`type the dataset's name, "${name}", to confirm`);
  // Broken JSON is an error, not an empty body.
  const broken = await page.request.delete(`/api/v1/datasets/${dataset.id}`, { data: '{"confirm": ', headers: { "content-type": "application/json" }, failOnStatusCode: false });
  expect(broken.status()).toBe(422);
  // The admin's session cookie sent by a page of another origin (here another port) changes nothing.
  const crossOrigin = await page.request.delete(`/api/v1/datasets/${dataset.id}`, { ...remove, headers: { origin: "http://localhost:1" } });
  expect(crossOrigin.status()).toBe(403);
  expect((await crossOrigin.json()).error.message).toContain("another origin");
  expect(Number(await left())).toBe(10);

  const form = page.getByTestId("delete-dataset");
  await form.getByText("Delete this dataset…").click();
  await expect(form).toContainText("Deletes its 3 questions and 6 responses");
  const button = form.getByRole("button", { name: "Delete dataset" });
  await expect(button).toBeDisabled();
  await form.getByLabel("Dataset name to confirm").fill(name.slice(0, -1));
  await expect(button).toBeDisabled();
  await form.getByLabel("Dataset name to confirm").fill(name);
  await screenshot(page, "dataset-delete");
  await button.click();
  await expect(page).toHaveURL(/\/datasets$/);
  // The list drops it once its rows are gone (it reloads itself meanwhile).
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(async () => Number(await left()), { timeout: 20_000 }).toBe(0);
  const [audit] = await query<{ actor: string; data: { name: string; questions: number; responses: number } }>(
    `SELECT u.email AS actor, a.data FROM audit_events a JOIN users u ON u.id = a.actor_id WHERE a.action = 'dataset.delete' AND a.entity_id = $1`,
    [String(dataset.id)],
  );
  expect(audit).toEqual({ actor: "admin@demo.studio", data: { name, questions: 3, responses: 6 } });
});

test("on a phone, wide tables scroll inside their card and no page scrolls sideways", async ({ page }) => {
  await signIn(page, "admin", "/datasets");
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/datasets", "/admin/users", "/exports", "/judges", "/runs", "/analytics/agreement", "/analytics/rewards", "/review"]) {
    await page.goto(path);
    await expect(page.locator("main").first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} is ${width}px wide on a 390px screen`).toBeLessThanOrEqual(390);
  }
});
