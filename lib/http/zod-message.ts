// A zod error as people read it: each issue as "field: what is wrong", once (a message that names
// its field already is left as it is). The REST routes and the command line say it alike.
import type { ZodError } from "zod";

export function zodMessage(error: ZodError): string {
  return error.issues
    .map((i) => {
      const field = i.path.join(".") || "input";
      return i.message.startsWith(`${field}:`) ? i.message : `${field}: ${i.message}`;
    })
    .join("; ");
}
