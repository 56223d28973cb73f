// POST /api/v1/review/queues/:id/claim {count, exclude}: hands the signed-in expert up to
// `count` items of the queue (those they hold first) with everything the review screen shows.
// A route, not a server action: the review screen prefetches while labels are being saved, and
// server actions from one page run one after another.
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { claimItems, ZClaim } from "@/lib/review/handout";
import { reviewItems } from "@/lib/review/items";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

const ZParams = z.object({ id: ZRowIdParam });

export const POST = guarded<{ params: Promise<{ id: string }> }>({ role: "expert", scope: null }, async (request, { params, user }) => {
  const { id } = ZParams.parse(await params);
  const body = ZClaim.parse(await readJsonBody(request, { optional: true }));
  const { responseIds, blind } = await claimItems(db(), user, id, body);
  const items = await reviewItems(db(), user, responseIds, blind);
  return NextResponse.json({ data: { items } });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
