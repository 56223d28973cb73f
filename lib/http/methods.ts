// The methods a REST route does not take answer 405 with a JSON error and an Allow header, like
// every other error of the API; without them Next.js answers a bare 405 with neither. A route
// file exports what this returns for the methods it lacks:
//   export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
import { AppError } from "@/lib/errors";
import { errorResponse } from "./route";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type TMethod = (typeof METHODS)[number];
type THandler = (request: Request) => Response;

export function otherMethods<A extends TMethod>(...allowed: A[]): Record<Exclude<TMethod, A> | "OPTIONS", THandler> {
  const allow = [...allowed, ...((allowed as TMethod[]).includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: THandler = (request) => {
    const path = new URL(request.url).pathname;
    const response = errorResponse(new AppError("METHOD_NOT_ALLOWED", `${request.method} is not taken by ${path}: it takes ${allowed.join(" or ")}.`));
    response.headers.set("allow", allow);
    return response;
  };
  const handlers: Record<string, THandler> = { OPTIONS: () => new Response(null, { status: 204, headers: { allow } }) };
  for (const method of METHODS) if (!(allowed as TMethod[]).includes(method)) handlers[method] = refuse;
  return handlers as Record<Exclude<TMethod, A> | "OPTIONS", THandler>;
}
