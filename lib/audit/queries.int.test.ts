// The audit log as admins read it: newest first, filters, and pages by id that cover every event once.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { recordAudit } from "./record";
import { auditFacets, FACET_EVENTS, listAuditEvents } from "./queries";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
  await prisma.user.create({ data: { id: "a1", name: "Ada", email: "ada@example.test", role: "admin" } });
  for (const [action, entity, entityId] of [["user.role", "user", "u1"], ["token.create", "api_token", "7"], ["user.role", "user", "u2"], ["user.disable", "user", "u1"], ["run.start", "judge_run", "3"]] as const) {
    await recordAudit(prisma, { actorId: action === "run.start" ? null : "a1", action, entity, entityId });
  }
});

describe("the audit log", () => {
  it("lists newest first, by pages that cover every event once", async () => {
    const all = await prisma.auditEvent.findMany({ orderBy: { id: "desc" }, select: { id: true } });
    const first = await listAuditEvents({}, 2);
    const second = await listAuditEvents({ before: first.older! }, 2);
    const third = await listAuditEvents({ before: second.older! }, 2);
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.id)).toEqual(all.map((e) => e.id));
    expect(third.older).toBeNull();
    expect(first.rows[0]).toMatchObject({ action: "run.start", actor: null });
    expect(first.rows[1]).toMatchObject({ action: "user.disable", actor: { name: "Ada" } });
  });

  it("filters by action, object and person, and names the actions and objects there are", async () => {
    expect((await listAuditEvents({ action: "user.role" })).rows.map((r) => r.entityId)).toEqual(["u2", "u1"]);
    expect((await listAuditEvents({ entity: "user", entityId: "u1" })).rows.map((r) => r.action)).toEqual(["user.disable", "user.role"]);
    expect((await listAuditEvents({ actor: "a1" })).rows).toHaveLength(4);
    expect(await auditFacets()).toEqual({ actions: ["run.start", "token.create", "user.disable", "user.role"], entities: ["api_token", "judge_run", "user"] });
    // Suggestions come from the newest events only (a log of every label change stays quick to
    // open); an older action is still found when typed.
    await prisma.$executeRaw`INSERT INTO audit_events (action, entity, entity_id) SELECT 'label.set', 'response', n::text FROM generate_series(1, ${FACET_EVENTS}) n`;
    expect(await auditFacets()).toEqual({ actions: ["label.set"], entities: ["response"] });
    expect((await listAuditEvents({ action: "token.create" })).rows.map((r) => r.entityId)).toEqual(["7"]);
  });
});
