// Backpressure for the reward endpoint: a bound on the items being judged at once in this
// process. A batch that would go over it is refused at once with 429 and a Retry-After estimated
// from the recent judging rate, instead of queueing without bound (the trainer retries; memory
// stays flat). One batch larger than the bound is still admitted when nothing else is in flight,
// so a big batch is slow rather than impossible.

export class Admission {
  private pending = 0;
  /** items judged per second, smoothed over recent batches */
  private rate = 0;

  constructor(readonly limit: number) {}

  get inFlight() {
    return this.pending;
  }

  tryAdmit(items: number): boolean {
    if (this.pending > 0 && this.pending + items > this.limit) return false;
    this.pending += items;
    return true;
  }

  release(items: number, seconds: number) {
    this.pending = Math.max(0, this.pending - items);
    if (seconds > 0) {
      const observed = items / seconds;
      this.rate = this.rate === 0 ? observed : 0.7 * this.rate + 0.3 * observed;
    }
  }

  /** Seconds until about `items` could be admitted, at the recent rate; 1 to 60. */
  retryAfterSeconds(items: number): number {
    const excess = this.pending + items - this.limit;
    if (this.rate <= 0) return 1;
    return Math.min(60, Math.max(1, Math.ceil(Math.max(excess, 1) / this.rate)));
  }
}

/** Holds one of `size` units while a request to an endpoint is in flight (the judge's concurrency). */
export class Semaphore {
  private used = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly size: number) {}

  acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release() {
    const next = this.waiters.shift();
    if (next) next();
    else this.used--;
  }
}
