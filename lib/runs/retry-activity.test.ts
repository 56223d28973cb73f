import { describe, expect, it } from "vitest";
import { RETRY_REPORTED_MS, RetryActivity, runActivity, SLOW_CALL_MS } from "./retry-activity";

describe("a worker's call activity", () => {
  it("counts calls waiting and retries started per run, with the latest reason", () => {
    let now = Date.parse("2026-11-28T10:00:00Z");
    const activity = new RetryActivity(() => now);
    const first = activity.waiting(7, { kind: "rate_limited", message: "HTTP 429: slow down" }, 60_000);
    now += 1_000;
    const second = activity.waiting(7, { kind: "server_error", message: "HTTP 503: restarting" }, 2_000);
    activity.waiting(8, { kind: "timeout", message: "no answer in 60 s" }, 500);
    expect(activity.report()["7"]).toEqual({
      waiting: 2,
      retried: 2,
      last: { kind: "server_error", message: "HTTP 503: restarting", at: "2026-11-28T10:00:01.000Z", waitMs: 2_000 },
      slow: 0,
      oldestMs: null,
    });
    second();
    second(); // a second call of the same ending changes nothing
    first();
    expect(activity.report()["7"]).toMatchObject({ waiting: 0, retried: 2 });
    expect(activity.report()["8"]).toMatchObject({ waiting: 1, retried: 1 });
    // Once none waits, the last retry is reported for a while, then dropped.
    now += RETRY_REPORTED_MS + 1;
    expect(Object.keys(activity.report())).toEqual(["8"]);
  });

  it("reports requests out for longer than SLOW_CALL_MS, and only those runs", () => {
    let now = 0;
    const activity = new RetryActivity(() => now);
    const early = activity.sent(3);
    now += 4_000;
    const late = activity.sent(3);
    activity.sent(4);
    expect(activity.report()).toEqual({}); // out, but not for long
    now += SLOW_CALL_MS - 2_000; // the first out 12 s, the second 8 s
    // Run 4's one request, out 8 s, says nothing yet.
    expect(activity.report()).toEqual({ "3": { waiting: 0, retried: 0, last: null, slow: 1, oldestMs: 12_000 } });
    early();
    late();
    expect(activity.report()).toEqual({});
  });

  it("keeps long messages short", () => {
    const activity = new RetryActivity();
    activity.waiting(1, { kind: "malformed_response", message: "x".repeat(5_000) }, 10);
    expect(activity.report()["1"]!.last!.message).toHaveLength(300);
  });

  it("adds up the live workers' reports of a run, the latest reason and the oldest request winning", () => {
    const a = { "3": { waiting: 2, retried: 5, last: { kind: "rate_limited", message: "a", at: "2026-11-28T10:00:02.000Z", waitMs: 1 }, slow: 1, oldestMs: 15_000 } };
    const b = {
      "3": { waiting: 1, retried: 1, last: { kind: "server_error", message: "b", at: "2026-11-28T10:00:05.000Z", waitMs: 2 }, slow: 2, oldestMs: 11_000 },
      "4": { waiting: 9, retried: 9, last: null, slow: 0, oldestMs: null },
    };
    expect(runActivity([a, b, {}, null], 3)).toEqual({ waiting: 3, retried: 6, last: b["3"].last, slow: 3, oldestMs: 15_000 });
    expect(runActivity([a], 4)).toBeNull();
    expect(runActivity([], 3)).toBeNull();
  });
});
