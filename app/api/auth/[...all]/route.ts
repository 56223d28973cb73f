// The sign-in library's endpoints the studio uses (sign-in, sign-out, session), bounded: lib/auth/route.ts.
import { authRoute } from "@/lib/auth/route";

export const GET = (request: Request) => authRoute(request, "GET");
export const POST = (request: Request) => authRoute(request, "POST");
