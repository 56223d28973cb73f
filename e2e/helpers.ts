import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import pg from "pg";
import { DEMO_USERS } from "../lib/setup/demo-users";
import { startJudgeSimulator } from "../scripts/judge-simulator/simulator";
import type { TRole } from "../lib/auth/roles";

export const ROLES: TRole[] = ["viewer", "expert", "researcher", "admin"];

export function credentials(role: TRole) {
  const user = DEMO_USERS.find((u) => u.role === role)!;
  return { email: user.email, password: user.password, name: user.name };
}

/** Signs in through the form, as a person would. */
export async function signInWithForm(page: Page, role: TRole, next = "/datasets") {
  const { email, password } = credentials(role);
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-role")).toBeVisible();
}

/** Opens `next` as `role`, with the session the setup project signed in (e2e/auth.setup.ts). */
export async function signIn(page: Page, role: TRole, next = "/datasets") {
  const state = JSON.parse(readFileSync(path.resolve(`e2e/.state/${role}.json`), "utf8")) as { cookies: Parameters<BrowserContext["addCookies"]>[0] };
  await page.context().clearCookies();
  await page.context().addCookies(state.cookies);
  await page.goto(next);
  await expect(page.getByTestId("current-role")).toBeVisible();
}

/** The e2e run's database (written by scripts/e2e-server.ts). */
export function databaseInfo(): { url: string; dataDir: string; embedded: boolean } {
  return JSON.parse(readFileSync(path.resolve("e2e/.state/database.json"), "utf8"));
}

export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseInfo().url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function demoDatasetId(): Promise<number> {
  const [row] = await query<{ id: number }>(`SELECT id FROM datasets WHERE name = 'openqa-eval NQ301'`);
  return row!.id;
}

export async function judgeId(name: string): Promise<number> {
  const [row] = await query<{ id: number }>(`SELECT id FROM judges WHERE name = $1`, [name]);
  return row!.id;
}

/** Keeps a screenshot of the page for people to look at (e2e/screenshots, not committed). */
export async function screenshot(page: Page, name: string) {
  mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

/** The judge simulator (a test double) on a free port of `first`..`first + 99`. */
export async function simulatorOnFreePort(options: Parameters<typeof startJudgeSimulator>[0], first = 8100) {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await startJudgeSimulator({ ...options, port: first + Math.floor(Math.random() * 100) });
    } catch {
      // port in use: another one
    }
  }
  throw new Error(`no free simulator port in ${first}-${first + 99}`);
}
