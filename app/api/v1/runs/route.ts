// GET /api/v1/runs?dataset=&judge=&before=: runs, newest first.
// POST /api/v1/runs { dataset, judges: [...], filter?, force?, samples? }: starts one run per judge
// (datasets and judges by id or name; filter as the judgments page's URL parameters).
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { createRuns, ZStartRuns } from "@/lib/runs/create-run";
import { listRuns } from "@/lib/runs/queries";
import { findDataset, findJudge } from "@/lib/runs/resolve";
import { ZRowId, ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

const ZList = z.object({
  dataset: ZRowIdParam.optional(),
  judge: ZRowIdParam.optional(),
  before: ZRowIdParam.optional(),
});

export const GET = guarded({ role: "viewer", scope: "read" }, async (request) => {
  const params = ZList.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listRuns({ datasetId: params.dataset, judgeId: params.judge, before: params.before });
  return NextResponse.json({ data: page.runs, nextCursor: page.nextCursor });
});

const ZRef = z.union([ZRowId, z.string().min(1).max(200)]);
const ZStart = z.object({ dataset: ZRef, judges: z.array(ZRef).min(1).max(20), filter: z.string().max(2000).default(""), force: z.boolean().default(false), samples: ZStartRuns.shape.samples });

export const POST = guarded({ role: "researcher", scope: "judge" }, async (request, { user }) => {
  const body = ZStart.parse(await readJsonBody(request, { optional: true }));
  const dataset = await findDataset(db(), body.dataset);
  const judgeIds = [];
  for (const ref of body.judges) judgeIds.push((await findJudge(db(), ref)).id);
  const runs = await createRuns(db(), { datasetId: dataset.id, judgeIds, filter: body.filter, force: body.force, samples: body.samples, source: "api" }, user.id);
  return NextResponse.json({ data: runs }, { status: 201 });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
