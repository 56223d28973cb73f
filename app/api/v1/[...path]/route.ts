// Any path under /api/v1 that no route has: a JSON 404 like every other error of the REST API
// (not the HTML page a browser gets), naming what was asked. Reads nothing, so it needs no role.
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/route";

const notFound = (request: Request) => errorResponse(new AppError("NOT_FOUND", `No route ${request.method} ${new URL(request.url).pathname}: the REST API's routes are listed in README.md.`));

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
