import { describe, expect, it } from "vitest";
import { Admission, Semaphore } from "./admission";

describe("Admission", () => {
  it("admits up to the limit, refuses beyond, and admits again once items are released", () => {
    const a = new Admission(1000);
    expect(a.tryAdmit(600)).toBe(true);
    expect(a.tryAdmit(300)).toBe(true);
    expect(a.tryAdmit(200)).toBe(false);
    a.release(600, 2); // 300 items/s
    expect(a.tryAdmit(200)).toBe(true);
    expect(a.inFlight).toBe(500);
  });

  it("admits one batch larger than the limit when nothing else is in flight", () => {
    const a = new Admission(100);
    expect(a.tryAdmit(512)).toBe(true);
    expect(a.tryAdmit(1)).toBe(false);
  });

  it("estimates Retry-After from the judging rate, between 1 and 60 s", () => {
    const a = new Admission(100);
    expect(a.retryAfterSeconds(10)).toBe(1); // no rate yet
    a.tryAdmit(100);
    a.release(100, 10); // 10 items/s
    a.tryAdmit(100);
    expect(a.retryAfterSeconds(50)).toBe(5); // 50 items over the limit at 10/s
    expect(a.retryAfterSeconds(100_000)).toBe(60);
  });
});

describe("Semaphore", () => {
  it("lets `size` holders through and queues the rest in order", async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    await s.acquire();
    await s.acquire();
    const third = s.acquire().then(() => order.push(3));
    const fourth = s.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    s.release();
    await third;
    s.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });
});
