// The bounds the studio puts around the sign-in library's endpoints (./route.ts), with the
// library's handler replaced by one that records what reaches it.
import { beforeEach, describe, expect, it, vi } from "vitest";

const reached: { method: string; path: string; body: string }[] = [];
let running = 0;
let mostAtOnce = 0;
let release: () => void = () => {};
let gate = Promise.resolve();

vi.mock("./auth", () => ({ auth: () => ({}) }));
vi.mock("better-auth/next-js", () => ({
  toNextJsHandler: () => {
    const handle = async (request: Request) => {
      reached.push({ method: request.method, path: new URL(request.url).pathname, body: request.method === "POST" ? await request.text() : "" });
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await gate;
      running--;
      return new Response("{}", { status: 200 });
    };
    return { GET: handle, POST: handle };
  },
}));

const { authRoute, AUTH_BODY_MAX_BYTES, SIGN_INS_AT_ONCE, SIGN_INS_WAITING } = await import("./route");

const post = (path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request(`http://studio.test/api/auth${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers }, duplex: "half" } as RequestInit);

beforeEach(() => {
  reached.length = 0;
  running = 0;
  mostAtOnce = 0;
  gate = Promise.resolve();
});

describe("the sign-in library's endpoints", () => {
  it("answer only where the studio uses them: changing one's own name, email or account is not among them", async () => {
    expect((await authRoute(post("/sign-in/email", '{"email":"a@b.c","password":"x"}'), "POST")).status).toBe(200);
    expect((await authRoute(post("/sign-out", "{}"), "POST")).status).toBe(200);
    expect((await authRoute(new Request("http://studio.test/api/auth/get-session"), "GET")).status).toBe(200);
    for (const path of ["/update-user", "/change-email", "/change-password", "/delete-user", "/sign-up/email", "/request-password-reset", "/revoke-sessions", "/sign-in/email/../../update-user"]) {
      const answer = await authRoute(post(path, '{"name":"Demo admin"}'), "POST");
      expect(answer.status, path).toBe(404);
    }
    expect((await authRoute(new Request("http://studio.test/api/auth/list-sessions"), "GET")).status).toBe(404);
    expect(reached.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/auth/sign-in/email", "POST /api/auth/sign-out", "GET /api/auth/get-session"]);
    // the body reaches the library as it was sent
    expect(reached[0]!.body).toBe('{"email":"a@b.c","password":"x"}');
  });

  it("refuse a body over the bound, declared or streamed, before the library reads it", async () => {
    const big = "x".repeat(AUTH_BODY_MAX_BYTES + 1);
    const declared = await authRoute(post("/sign-in/email", big), "POST");
    expect(declared.status).toBe(413);
    const chunk = new TextEncoder().encode("y".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // endless unless the route stops reading
        sent++;
        if (sent > 1000) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await authRoute(post("/sign-in/email", stream), "POST");
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(10);
    expect(reached).toEqual([]);
  });

  it("check passwords a few at a time, and turn away sign-ins beyond the queue at once", async () => {
    gate = new Promise<void>((resolve) => (release = resolve));
    const signIn = () => authRoute(post("/sign-in/email", '{"email":"a@b.c","password":"x"}'), "POST");
    const queued = Array.from({ length: SIGN_INS_AT_ONCE + SIGN_INS_WAITING }, signIn);
    await vi.waitFor(() => expect(running).toBe(SIGN_INS_AT_ONCE));
    const turnedAway = await signIn();
    expect(turnedAway.status).toBe(429);
    expect(turnedAway.headers.get("retry-after")).toBe("5");
    expect(await turnedAway.json()).toEqual({ error: { code: "RATE_LIMITED", message: "Too many sign-ins at once. Try again in a few seconds." } });
    release();
    const answers = await Promise.all(queued);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(mostAtOnce).toBe(SIGN_INS_AT_ONCE);
    expect(reached).toHaveLength(SIGN_INS_AT_ONCE + SIGN_INS_WAITING);
  });
});
