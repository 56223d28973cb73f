import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://localhost:4300";
const ds = process.env.DS ?? "1";
const pages = (process.env.PAGES ?? "analytics,analytics/agreement,analytics/quality,analytics/calibration,analytics/rewards,analytics/experts,analytics/consistency").split(",");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${base}/login`);
await page.getByLabel("Email").fill("viewer@demo.studio");
await page.getByLabel("Password").fill("demo-viewer-password");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/datasets/);
for (const p of pages) {
  const t = Date.now();
  await page.goto(`${base}/${p}${p.includes("?") ? "&" : "?"}dataset=${ds}`, { timeout: 120000 });
  await page.waitForLoadState("networkidle");
  console.log(p, Date.now() - t, "ms");
  await page.screenshot({ path: `/tmp/shot-${ds}-${p.replace(/[/?=&]/g, "_")}.png`, fullPage: true });
}
await browser.close();
