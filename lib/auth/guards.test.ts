// Every page, route handler and server action checks its caller's role: read from the source, so
// that a new one without its guard fails here before anyone can reach it. The exceptions are
// listed with the reason each needs no role.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function files(dir: string, name: RegExp): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && name.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .sort();
}

const OPEN_PAGES: Record<string, string> = {
  "app/(auth)/login/page.tsx": "the sign-in form",
  "app/unavailable/page.tsx": "says the database is out of reach; reads nothing",
  "app/(studio)/page.tsx": "only redirects to /datasets, whose page checks",
};
const OPEN_ROUTES: Record<string, string> = {
  "app/api/auth/[...all]/route.ts": "the sign-in library's own endpoints (sign-in, sign-out, session)",
  "app/api/health/route.ts": "up or down for load balancers and monitors; reads nothing but SELECT 1",
  "app/api/v1/[...path]/route.ts": "a JSON 404 for a path no route has; reads nothing",
};
const OPEN_ACTIONS: Record<string, string> = {
  signOutAction: "ends the caller's own session",
};

describe("role checks", () => {
  it("every page calls requirePageRole", () => {
    const pages = files("app", /^page\.tsx$/);
    expect(pages.length).toBeGreaterThan(20);
    const unguarded = pages.filter((f) => !(f in OPEN_PAGES) && !/\brequirePageRole\(/.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(unguarded).toEqual([]);
  });

  it("every route handler is made by guarded()", () => {
    const routes = files("app", /^route\.ts$/);
    expect(routes.length).toBeGreaterThan(10);
    const unguarded: string[] = [];
    for (const f of routes) {
      if (f in OPEN_ROUTES) continue;
      const source = readFileSync(path.join(ROOT, f), "utf8");
      const handlers = [...source.matchAll(/^export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b(.*)$/gm)];
      expect(handlers.length, f).toBeGreaterThan(0);
      for (const [, method, rest] of handlers) if (!/^\s*=\s*guarded\b/.test(rest!)) unguarded.push(`${f} ${method}`);
    }
    expect(unguarded).toEqual([]);
  });

  it("every server action calls requireRole", () => {
    const actionFiles = files("lib", /\.ts$/).filter((f) => !f.includes(".test.") && /^\s*["']use server["']/.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(actionFiles.length).toBeGreaterThan(5);
    const unguarded: string[] = [];
    for (const f of actionFiles) {
      // Each exported function's text runs to the next export.
      const parts = readFileSync(path.join(ROOT, f), "utf8").split(/^(?=export )/m);
      for (const part of parts) {
        const name = /^export async function (\w+)/.exec(part)?.[1];
        if (name && !(name in OPEN_ACTIONS) && !/\brequireRole\(/.test(part)) unguarded.push(`${f} ${name}`);
      }
    }
    expect(unguarded).toEqual([]);
  });
});
