// Reading the audit log (admins): newest first, filtered by action, entity, object and actor,
// keyset-paginated by id.
import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { ZRowIdParam } from "@/lib/db/values";

export const AUDIT_PAGE_SIZE = 50;

/** The filters as they live in the page's URL; a value it cannot read is left out. */
export const ZAuditFilters = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  entity: z.string().trim().max(100).optional().catch(undefined),
  entityId: z.string().trim().max(100).optional().catch(undefined),
  actor: z.string().trim().max(100).optional().catch(undefined),
  before: ZRowIdParam.optional().catch(undefined),
});
export type TAuditFilters = z.infer<typeof ZAuditFilters>;

export type TAuditRow = {
  id: number;
  createdAt: Date;
  action: string;
  entity: string;
  entityId: string;
  data: unknown;
  actor: { id: string; name: string; email: string } | null;
};

export async function listAuditEvents(filters: TAuditFilters, limit = AUDIT_PAGE_SIZE): Promise<{ rows: TAuditRow[]; older: number | null }> {
  const rows = await db().auditEvent.findMany({
    where: {
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.entity ? { entity: filters.entity } : {}),
      ...(filters.entityId ? { entityId: filters.entityId } : {}),
      ...(filters.actor ? { actorId: filters.actor } : {}),
      ...(filters.before ? { id: { lt: filters.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: { id: true, createdAt: true, action: true, entity: true, entityId: true, data: true, actor: { select: { id: true, name: true, email: true } } },
  });
  const page = rows.slice(0, limit);
  return { rows: page, older: rows.length > limit ? page.at(-1)!.id : null };
}

/** Events the filter's suggestions are read from: the newest, by the primary key. */
export const FACET_EVENTS = 10_000;

/**
 * The actions and kinds of object of the newest events, as the filter's suggestions. Not of the
 * whole log: every label change is an event, and grouping all of them on each visit would grow
 * with the log. An older action can still be typed.
 */
export async function auditFacets(): Promise<{ actions: string[]; entities: string[] }> {
  const rows = await db().$queryRaw<{ action: string; entity: string }[]>`
    SELECT DISTINCT action, entity FROM (SELECT action, entity FROM audit_events ORDER BY id DESC LIMIT ${FACET_EVENTS}) newest`;
  const sorted = (xs: string[]) => [...new Set(xs)].sort();
  return { actions: sorted(rows.map((r) => r.action)), entities: sorted(rows.map((r) => r.entity)) };
}
