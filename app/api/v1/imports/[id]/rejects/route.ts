// GET /api/v1/imports/<id>/rejects: every rejected line of a job as CSV (line, field, reason).
import { asSpreadsheetText } from "@/components/charts/csv";
import { AppError } from "@/lib/errors";
import { guarded } from "@/lib/http/route";
import { csvLine } from "@/lib/io/export/writers";
import { allRejects, getImportJob } from "@/lib/io/queries";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded<Ctx>({ role: "researcher", scope: "import" }, async (_request, { params }) => {
  const id = ZRowIdParam.parse((await params).id);
  const job = await getImportJob(id);
  if (!job) throw new AppError("NOT_FOUND", `no import job ${id}`);
  const rows = allRejects(id);
  const encoder = new TextEncoder();
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(["line", "field", "reason"])));
        return;
      }
      const { value, done } = await rows.next();
      if (done) controller.close();
      // The field may be a column name of the file: kept as text in a spreadsheet.
      else controller.enqueue(encoder.encode(csvLine([value.line, asSpreadsheetText(value.field), asSpreadsheetText(value.reason)])));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${id}-rejected.csv"`,
      "cache-control": "no-store",
    },
  });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
