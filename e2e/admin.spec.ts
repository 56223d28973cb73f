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

  // Promote them; the change applies to their next request.
  await page.getByLabel(`Role of ${email}`).selectOption("researcher");
  await expect.poll(async () => (await query<{ role: string }>(`SELECT role::text FROM users WHERE email = $1`, [email]))[0]!.role).toBe("researcher");
  await other.reload();
  await expect(other.getByTestId("current-role")).toHaveText("Researcher");
});

for (const role of ROLES.filter((r) => r !== "admin")) {
  test(`a ${role} gets the 403 page for user and token management`, async ({ page }) => {
    await signIn(page, role);
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Tokens" })).toHaveCount(0);
    for (const path of ["/admin/users", "/admin/tokens"]) {
      const response = await page.goto(path);
      expect(response!.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    }
  });
}

test("every page sends an anonymous visitor to the sign-in form", async ({ page }) => {
  for (const path of ["/", "/datasets", "/datasets/1", "/judgments", "/agreement", "/admin/users", "/admin/tokens"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/login/);
  }
});
