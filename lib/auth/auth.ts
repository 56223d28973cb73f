// better-auth, configured for email + password, sessions in Postgres, and a rate limit on
// sign-in that every instance shares (database storage). Public sign-up is off: admins create
// users (lib/users). Created on first use because `next build` has no database or secret.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { db } from "@/lib/db/client";
import { env, studioUrl } from "@/lib/env";

import { MIN_PASSWORD_LENGTH } from "./password-policy";
import { consumeSignInAttempt } from "./signin-throttle";
import { verifyPassword } from "better-auth/crypto";
import { ACCOUNT_DISABLED } from "./sign-in-errors";

function createAuth() {
  const e = env();
  if (!e.AUTH_SECRET) throw new Error("AUTH_SECRET is not set (start the studio with `npm start`)");
  const url = new URL(studioUrl());
  // The same studio is often opened as localhost and as 127.0.0.1: trust both spellings.
  const aliases = ["localhost", "127.0.0.1"].map((host) => `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}`);
  return betterAuth({
    appName: "RLVR Studio",
    baseURL: url.origin,
    trustedOrigins: [url.origin, ...aliases],
    secret: e.AUTH_SECRET,
    database: prismaAdapter(db(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "viewer" },
        // set by an admin (lib/users/access.ts); read with every session (lib/auth/session.ts)
        disabledAt: { type: "date", input: false, required: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: e.AUTH_SIGNIN_LIMIT } },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        if (!(await consumeSignInAttempt(db(), email, e.AUTH_SIGNIN_LIMIT))) {
          throw new APIError("TOO_MANY_REQUESTS", { message: "Too many sign-in attempts for this account. Wait a minute." });
        }
        // A disabled account is told so only with its right password (a wrong one gets the usual
        // answer): whoever probes emails learns nothing about which accounts are disabled.
        const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { disabledAt: true, accounts: { where: { providerId: "credential" }, select: { password: true } } } });
        const hash = user?.accounts[0]?.password;
        const password = typeof ctx.body?.password === "string" ? ctx.body.password : "";
        if (user?.disabledAt && hash && (await verifyPassword({ hash, password }))) {
          throw new APIError("FORBIDDEN", { message: "This account is disabled. Ask an admin to enable it.", code: ACCOUNT_DISABLED });
        }
      }),
    },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const holder = globalThis as unknown as { __studioAuth?: Auth };

export function auth(): Auth {
  holder.__studioAuth ??= createAuth();
  return holder.__studioAuth;
}
