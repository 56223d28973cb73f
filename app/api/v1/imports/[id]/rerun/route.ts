// POST /api/v1/imports/<id>/rerun {strict?}: runs a failed or interrupted import again from its
// upload with the same options (strict: false imports the good lines of a strict one). 202 with
// the new job's id; 409 when the job cannot run again or already did (the answer names that job).
import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { rerunImport } from "@/lib/io/start";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

const ZRerun = z.object({ strict: z.boolean().optional() }).strict();

export const POST = guarded<Ctx>({ role: "researcher", scope: "import" }, async (request, { params, user }) => {
  const id = ZRowIdParam.parse((await params).id);
  const { strict } = ZRerun.parse(await readJsonBody(request, { optional: true }));
  return NextResponse.json(await rerunImport(id, user.id, "api", { strict }), { status: 202 });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
