// GET /api/v1/judgments/export?<judgments filters>: the filtered responses as a streamed JSONL
// download. Researchers and above; every export is recorded in the audit log.
import { guarded } from "@/lib/http/route";
import { AppError, forLog } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { getDataset } from "@/lib/datasets/queries";
import { parseJudgmentFilters, withoutPage } from "@/lib/judgments/filters";
import { judgeColumns } from "@/lib/judgments/queries";
import { exportJudgmentLines } from "@/lib/judgments/export";
import { otherMethods } from "@/lib/http/methods";

export const GET = guarded({ role: "researcher", scope: "export" }, async (request, { user }) => {
  const url = new URL(request.url);
  const search: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) search[key] = url.searchParams.getAll(key);
  const parsed = parseJudgmentFilters(search);
  if (!parsed.success) throw parsed.error;
  const filters = withoutPage(parsed.data);
  const dataset = await getDataset(filters.dataset);
  if (!dataset) throw new AppError("NOT_FOUND", `Dataset ${filters.dataset} does not exist.`);
  const columns = await judgeColumns(dataset.id);
  await recordAudit(db(), {
    actorId: user.id,
    action: "export.judgments",
    entity: "dataset",
    entityId: dataset.id,
    data: { filters: url.searchParams.toString(), format: "jsonl" },
  });

  const lines = exportJudgmentLines(filters, columns);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await lines.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        console.error("[export] failed while streaming", forLog(error));
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const fileName = `${dataset.name.replace(/[^\w.-]+/g, "_")}-judgments-${stamp}.jsonl`;
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
