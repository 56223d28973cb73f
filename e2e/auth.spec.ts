import { expect, test } from "@playwright/test";
import { credentials, ROLES, screenshot, signIn, signInWithForm } from "./helpers";

test("an anonymous visitor to any page lands on the sign-in form and returns there after signing in", async ({ page }) => {
  await page.goto("/agreement");
  await expect(page).toHaveURL(/\/login\?next=%2Fagreement/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
  await screenshot(page, "sign-in");
  const { email, password } = credentials("viewer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // /agreement moved under Analytics: the old address still leads there. The test waits for the
  // page itself, not only its address (a test that ends mid-navigation once left the browser
  // context hanging on close in CI).
  await expect(page).toHaveURL(/\/analytics\/agreement/);
  await expect(page.getByTestId("current-role")).toHaveText(/viewer/i);
  await expect(page.getByRole("navigation", { name: "Analytics views" })).toBeVisible();
  await page.waitForLoadState("networkidle");
});

test("after signing in, a next= pointing at another site is not followed", async ({ page }) => {
  // A browser reads "/\\evil.example" as "//evil.example", another site.
  for (const next of ["/\\evil.example", "//evil.example", "/..//evil.example/x"]) {
    await page.context().clearCookies();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    const { email, password } = credentials("viewer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/datasets/);
    expect(new URL(page.url()).host).not.toBe("evil.example");
  }
  // Signed in, the sign-in page redirects at once: to this site, also when dot segments would collapse to "//".
  for (const next of ["/..//evil.example/x", "/%2e%2e//evil.example/x"]) {
    const response = await page.request.get(`/login?next=${next}`, { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toMatch(/^\/datasets/);
  }
});

for (const role of ROLES) {
  test(`${role} signs in and sees their name and role`, async ({ page }) => {
    await signInWithForm(page, role);
    await expect(page.getByTestId("current-user")).toContainText(credentials(role).name);
    await expect(page.getByTestId("current-role")).toHaveText(role.charAt(0).toUpperCase() + role.slice(1));
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/datasets");
    await expect(page).toHaveURL(/\/login/);
  });
}

test("a sign-in sent before the page's script has loaded never puts the password into the URL", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  const { email, password } = credentials("viewer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
  expect(page.url()).not.toContain(encodeURIComponent(password));
  expect(page.url()).not.toContain("password=");
  await context.close();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(credentials("expert").email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");
  await screenshot(page, "sign-in-error");
});

test("sign-in is rate-limited per client and per account", async ({ request, baseURL }) => {
  const attempt = (email: string, ip: string) =>
    request.post("/api/auth/sign-in/email", {
      data: { email, password: "wrong-password-123" },
      headers: { "x-forwarded-for": ip, origin: baseURL! },
      failOnStatusCode: false,
    });
  // Per client: the limit is AUTH_SIGNIN_LIMIT (set to 20 for e2e) per minute.
  const statuses: number[] = [];
  for (let i = 0; i < 22; i++) statuses.push((await attempt(`nobody${i}@example.com`, "10.20.30.40")).status());
  expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
  expect(statuses.at(-1)).toBe(429);
  // Per account: rotating the (spoofable) client address does not help against one account.
  const perAccount: number[] = [];
  for (let i = 0; i < 22; i++) perAccount.push((await attempt("target@example.com", `10.99.0.${i}`)).status());
  expect(perAccount.slice(0, 20).every((s) => s === 401)).toBe(true);
  expect(perAccount.at(-1)).toBe(429);
});

test("the sign-in library answers only sign-in, sign-out and the session: a viewer cannot rename themselves", async ({ page }) => {
  await signIn(page, "viewer");
  const origin = new URL(page.url()).origin;
  const rename = await page.request.post("/api/auth/update-user", { data: { name: "Demo admin" }, headers: { origin }, failOnStatusCode: false });
  expect(rename.status()).toBe(404);
  await page.reload();
  await expect(page.getByTestId("current-user")).toContainText(credentials("viewer").name);
  // The session still reads, and a body too large for a sign-in is refused before it is read.
  expect((await page.request.get("/api/auth/get-session")).status()).toBe(200);
  const big = await page.request.post("/api/auth/sign-in/email", { data: { email: "x@example.com", password: "p".repeat(100_000) }, headers: { origin }, failOnStatusCode: false });
  expect(big.status()).toBe(413);
});

test("the REST API answers 401 JSON to anonymous callers and JSON to signed-in sessions", async ({ page, request }) => {
  const anonymous = await request.get("/api/v1/datasets", { failOnStatusCode: false });
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Sign in first." } });

  await signIn(page, "viewer");
  const signedIn = await page.request.get("/api/v1/datasets");
  expect(signedIn.status()).toBe(200);
  const body = await signedIn.json();
  expect(body.data.map((d: { name: string }) => d.name)).toContain("openqa-eval NQ301");
  // A path no route has answers JSON too, not the HTML page.
  const nowhere = await request.post("/api/v1/nope/deeper", { data: {}, failOnStatusCode: false });
  expect(nowhere.status()).toBe(404);
  expect(await nowhere.json()).toEqual({ error: { code: "NOT_FOUND", message: "No route POST /api/v1/nope/deeper: the REST API's routes are listed in README.md." } });
  // A method a route does not take: 405 JSON, with the methods it takes in Allow.
  const wrongMethod = await request.get("/api/v1/reward", { failOnStatusCode: false });
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()["allow"]).toBe("POST, OPTIONS");
  expect(await wrongMethod.json()).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: "GET is not taken by /api/v1/reward: it takes POST." } });
  const options = await request.fetch("/api/v1/datasets/1", { method: "OPTIONS", failOnStatusCode: false });
  expect(options.status()).toBe(204);
  expect(options.headers()["allow"]).toBe("GET, PATCH, DELETE, HEAD, OPTIONS");
});

test("the health endpoint answers anyone with up or down and nothing more", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(health.headers()["cache-control"]).toBe("no-store");
  expect(await health.json()).toEqual({ status: "ok" });
});

test("the database-out-of-reach page answers 503 with Retry-After and offers the page asked for again", async ({ page }) => {
  const response = await page.goto("/unavailable?next=%2Fruns%3Fdataset%3D1");
  expect(response?.status()).toBe(503);
  expect(response?.headers()["retry-after"]).toBe("5");
  await expect(page.getByRole("heading", { name: "Database out of reach" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/runs?dataset=1");
});
