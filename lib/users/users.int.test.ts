import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { isAppError } from "@/lib/errors";
import { verifyPassword } from "better-auth/crypto";
import { createUser } from "./create";
import { setUserRole } from "./set-role";
import { setUserDisabled, setUserPassword } from "./access";
import { authenticateToken, createToken } from "@/lib/tokens/tokens";

beforeEach(resetDb);

const newUser = (email: string, role: "admin" | "researcher" | "expert" | "viewer") => ({ name: email, email, role, password: "correct horse battery" });

describe("createUser", () => {
  it("stores a scrypt hash that verifies, never the password", async () => {
    const user = await createUser(testDb(), newUser("A@Example.org", "expert"));
    expect(user.email).toBe("a@example.org");
    const account = await testDb().account.findFirstOrThrow({ where: { userId: user.id } });
    expect(account.providerId).toBe("credential");
    expect(account.password).not.toContain("correct horse");
    expect(await verifyPassword({ hash: account.password!, password: "correct horse battery" })).toBe(true);
    expect(await testDb().auditEvent.count({ where: { action: "user.create" } })).toBe(1);
  });

  it("refuses a second user with the same email, and short passwords", async () => {
    await createUser(testDb(), newUser("b@example.org", "viewer"));
    await expect(createUser(testDb(), newUser("B@example.org", "viewer"))).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createUser(testDb(), { ...newUser("c@example.org", "viewer"), password: "short" })).rejects.toThrow();
  });
});

describe("setUserRole", () => {
  it("changes a role and records who did it", async () => {
    const admin = await createUser(testDb(), newUser("admin@example.org", "admin"));
    const user = await createUser(testDb(), newUser("u@example.org", "viewer"));
    await setUserRole(testDb(), admin.id, { userId: user.id, role: "researcher" });
    expect((await testDb().user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("researcher");
    const audit = await testDb().auditEvent.findFirstOrThrow({ where: { action: "user.role" } });
    expect(audit.actorId).toBe(admin.id);
    expect(audit.data).toMatchObject({ from: "viewer", to: "researcher" });
  });

  it("never demotes the last admin", async () => {
    const admin = await createUser(testDb(), newUser("only@example.org", "admin"));
    const error = await setUserRole(testDb(), admin.id, { userId: admin.id, role: "viewer" }).catch((e) => e);
    expect(isAppError(error) && error.code).toBe("CONFLICT");
    expect((await testDb().user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
  });

  it("lets one of two admins step down, but not both at once", async () => {
    const a = await createUser(testDb(), newUser("a1@example.org", "admin"));
    const b = await createUser(testDb(), newUser("a2@example.org", "admin"));
    const results = await Promise.allSettled([
      setUserRole(testDb(), a.id, { userId: b.id, role: "viewer" }),
      setUserRole(testDb(), b.id, { userId: a.id, role: "viewer" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await testDb().user.count({ where: { role: "admin" } })).toBe(1);
  });
});

describe("disabling an account and setting its password", () => {
  const session = (userId: string, token: string) =>
    testDb().session.create({ data: { id: token, token, userId, expiresAt: new Date(Date.now() + 3_600_000) } });

  it("disables: sessions end, its tokens stop working, never oneself or the last admin who can sign in; enables again", async () => {
    const admin = await createUser(testDb(), newUser("admin@example.org", "admin"));
    const other = await createUser(testDb(), newUser("other@example.org", "admin"));
    await session(other.id, "s-other");
    const { token } = await createToken(testDb(), { name: "trainer", scopes: ["read"] }, other.id);
    expect((await authenticateToken(testDb(), token)).user.id).toBe(other.id);

    await expect(setUserDisabled(testDb(), admin.id, { userId: admin.id, disabled: true })).rejects.toMatchObject({ code: "CONFLICT" });
    await setUserDisabled(testDb(), admin.id, { userId: other.id, disabled: true });
    expect((await testDb().user.findUniqueOrThrow({ where: { id: other.id } })).disabledAt).not.toBeNull();
    expect(await testDb().session.count({ where: { userId: other.id } })).toBe(0);
    await expect(authenticateToken(testDb(), token)).rejects.toMatchObject({ code: "UNAUTHENTICATED", message: "The API token's creator is disabled." });
    // The one admin left who can sign in cannot be disabled (by the disabled one's old session either).
    await expect(setUserDisabled(testDb(), other.id, { userId: admin.id, disabled: true })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("only admin") });

    await setUserDisabled(testDb(), admin.id, { userId: other.id, disabled: false });
    expect((await authenticateToken(testDb(), token)).user.id).toBe(other.id);
    const actions = (await testDb().auditEvent.findMany({ where: { entityId: other.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["user.create", "user.disable", "user.enable"]);
  });

  it("keeps an admin who can sign in: with the other admin disabled, the last one cannot step down", async () => {
    const a = await createUser(testDb(), newUser("a@example.org", "admin"));
    const b = await createUser(testDb(), newUser("b@example.org", "admin"));
    await setUserDisabled(testDb(), a.id, { userId: b.id, disabled: true });
    await expect(setUserRole(testDb(), a.id, { userId: a.id, role: "researcher" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("only admin who can sign in") });
    // the disabled admin's role may change: it leaves the one who can sign in
    await setUserRole(testDb(), a.id, { userId: b.id, role: "viewer" });
    expect((await testDb().user.findUniqueOrThrow({ where: { id: a.id } })).role).toBe("admin");
  });

  it("sets a new password that verifies, the old one no longer, and ends the user's sessions", async () => {
    const admin = await createUser(testDb(), newUser("admin@example.org", "admin"));
    const user = await createUser(testDb(), newUser("u@example.org", "expert"));
    await session(user.id, "s-user");
    await expect(setUserPassword(testDb(), admin.id, { userId: user.id, password: "short" })).rejects.toThrow();
    await setUserPassword(testDb(), admin.id, { userId: user.id, password: "a brand new passphrase" });
    const account = await testDb().account.findFirstOrThrow({ where: { userId: user.id } });
    expect(await verifyPassword({ hash: account.password!, password: "a brand new passphrase" })).toBe(true);
    expect(await verifyPassword({ hash: account.password!, password: "correct horse battery" })).toBe(false);
    expect(await testDb().session.count({ where: { userId: user.id } })).toBe(0);
    const audit = await testDb().auditEvent.findFirstOrThrow({ where: { action: "user.password" } });
    expect(audit).toMatchObject({ actorId: admin.id, entityId: user.id });
    expect(JSON.stringify(audit.data)).not.toContain("passphrase");
  });
});
