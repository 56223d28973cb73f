// Signs in once per role through the form and keeps the session, so the specs do not spend the
// sign-in rate limit (the form itself is tested in auth.spec.ts).
import { test as setup } from "@playwright/test";
import { ROLES, signInWithForm } from "./helpers";

for (const role of ROLES) {
  setup(`session for ${role}`, async ({ page }) => {
    await signInWithForm(page, role);
    await page.context().storageState({ path: `e2e/.state/${role}.json` });
  });
}
