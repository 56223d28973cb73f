// An endpoint's concurrency limit, respected across every worker on every machine. The limit is
// N rows of endpoint_slots; a worker may have as many requests in flight to the endpoint as it
// holds rows. Rows are leased (renewed on each heartbeat) so a killed worker's slots come back.
// Within a worker, requests wait for one of the worker's slots (a local semaphore).
//
// Sharing: each worker publishes its demand (requests in flight or waiting) per endpoint on its
// heartbeat. A worker alone with demand may take every slot; with k workers wanting the same
// endpoint each aims at ceil(N / k) and hands back what it holds above that as requests finish.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { TPermits } from "@/lib/judges/endpoint";

type Waiter = { resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void };

export class EndpointPool implements TPermits {
  held: number[] = [];
  inUse = 0;
  private waiters: Waiter[] = [];
  private growing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** how many other live workers want this endpoint, from the last heartbeat */
  othersWanting = 0;
  /** the highest demand since the last heartbeat: slots are handed back on heartbeats only, so a
   * chunk pausing between two items keeps its slots (no claim per request) */
  private peak = 0;

  constructor(
    private readonly slots: EndpointSlots,
    readonly endpoint: string,
    readonly limit: number,
  ) {}

  get demand() {
    return this.inUse + this.waiters.length;
  }

  /** What this worker should hold: all it wants when alone, its fair share when others want too. */
  target(): number {
    const share = this.othersWanting > 0 ? Math.ceil(this.limit / (this.othersWanting + 1)) : this.limit;
    return Math.min(Math.max(this.demand, this.peak), share);
  }

  /** Demand to publish on the heartbeat; starts a new peak window. */
  takePeak(): number {
    const peak = Math.max(this.peak, this.demand);
    this.peak = this.demand;
    return peak;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.inUse < this.held.length && this.waiters.length === 0) {
      this.inUse++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.peak = Math.max(this.peak, this.demand);
      void this.grow();
    });
  }

  release(): void {
    this.inUse--;
    // Above its fair share while other workers want this endpoint: hand the freed slot back
    // rather than keep it busy here (without this a busy worker would never let go).
    if (this.othersWanting > 0 && this.held.length > Math.max(this.target(), this.inUse)) {
      void this.shrink();
      return;
    }
    this.wake();
  }

  private wake() {
    while (this.inUse < this.held.length && this.waiters.length > 0) {
      const w = this.waiters.shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener("abort", w.onAbort);
      this.inUse++;
      w.resolve();
    }
  }

  /**
   * Claims free slots up to the target. Demand that grew while a claim was out is claimed right
   * after it; when every slot is taken, it tries again shortly while requests still wait.
   */
  async grow(): Promise<void> {
    if (this.growing) return;
    this.growing = true;
    let claimedAny = false;
    try {
      for (;;) {
        const want = this.target() - this.held.length;
        if (want <= 0) break;
        const claimed = await this.slots.claim(this.endpoint, this.limit, want);
        this.held.push(...claimed);
        this.wake();
        if (claimed.length === 0) break;
        claimedAny = true;
      }
    } catch (error) {
      this.slots.log(`claiming slots of ${this.endpoint} failed: ${(error as Error).message}`);
    } finally {
      this.growing = false;
    }
    if (this.waiters.length > 0 && !this.retryTimer && this.held.length < this.target()) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.grow();
      }, claimedAny ? 0 : 200);
    }
  }

  /** Hands back slots this worker holds above what it needs (not those in use). */
  async shrink(): Promise<void> {
    const keep = Math.max(this.target(), this.inUse);
    const surplus = this.held.length - keep;
    if (surplus <= 0) return;
    const give = this.held.splice(this.held.length - surplus, surplus);
    await this.slots.release(this.endpoint, give).catch((e) => this.slots.log(`releasing slots failed: ${(e as Error).message}`));
  }

  /** Slots the database no longer records as ours (our lease lapsed and another worker took them). */
  forget(lost: Set<number>) {
    this.held = this.held.filter((s) => !lost.has(s));
  }

  dispose() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const w of this.waiters) w.reject(new Error("worker stopping"));
    this.waiters = [];
  }
}

export class EndpointSlots {
  private pools = new Map<string, EndpointPool>();
  private ensured = new Set<string>();

  constructor(
    private readonly prisma: PrismaClient,
    readonly workerId: string,
    private readonly leaseMs: number,
    readonly log: (line: string) => void = () => {},
  ) {}

  /** The permits of an endpoint for a judge whose concurrency limit is `limit`. */
  pool(endpoint: string, limit: number): EndpointPool {
    const key = `${endpoint}#${limit}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new EndpointPool(this, endpoint, limit);
      this.pools.set(key, pool);
    }
    return pool;
  }

  async claim(endpoint: string, limit: number, n: number): Promise<number[]> {
    if (!this.ensured.has(`${endpoint}#${limit}`)) {
      await this.prisma.$executeRaw`
        INSERT INTO endpoint_slots (endpoint, slot) SELECT ${endpoint}, g FROM generate_series(0, ${limit - 1}) g
        ON CONFLICT DO NOTHING`;
      this.ensured.add(`${endpoint}#${limit}`);
    }
    // SKIP LOCKED: two workers claiming at once take different slots; the database clock
    // decides leases, so machines with skewed clocks agree.
    const rows = await this.prisma.$queryRaw<{ slot: number }[]>`
      UPDATE endpoint_slots s SET holder = ${this.workerId}, lease_until = now() + ${this.leaseMs} * interval '1 millisecond'
      FROM (SELECT slot FROM endpoint_slots
            WHERE endpoint = ${endpoint} AND slot < ${limit} AND (holder IS NULL OR lease_until < now())
            ORDER BY slot LIMIT ${n} FOR UPDATE SKIP LOCKED) f
      WHERE s.endpoint = ${endpoint} AND s.slot = f.slot
      RETURNING s.slot`;
    return rows.map((r) => r.slot);
  }

  async release(endpoint: string, slots: number[]) {
    if (slots.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE endpoint_slots SET holder = NULL, lease_until = NULL
      WHERE endpoint = ${endpoint} AND slot = ANY(${slots}::int[]) AND holder = ${this.workerId}`;
  }

  /** This worker's demand per endpoint since the last heartbeat, published on the heartbeat. */
  demand(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const pool of this.pools.values()) {
      const peak = pool.takePeak();
      if (peak > 0) out[pool.endpoint] = (out[pool.endpoint] ?? 0) + peak;
    }
    return out;
  }

  /**
   * Heartbeat: renew our leases, drop slots we lost, rebalance. `wanting` counts, per endpoint,
   * the other live workers that published a demand for it.
   */
  async renew(wanting: Record<string, number>) {
    const rows = await this.prisma.$queryRaw<{ endpoint: string; slot: number }[]>`
      UPDATE endpoint_slots SET lease_until = now() + ${this.leaseMs} * interval '1 millisecond'
      WHERE holder = ${this.workerId} RETURNING endpoint, slot`;
    const ours = new Set(rows.map((r) => `${r.endpoint}#${r.slot}`));
    for (const pool of this.pools.values()) {
      const lost = new Set(pool.held.filter((s) => !ours.has(`${pool.endpoint}#${s}`)));
      if (lost.size > 0) {
        this.log(`lost ${lost.size} slot(s) of ${pool.endpoint} (lease lapsed)`);
        pool.forget(lost);
      }
      pool.othersWanting = wanting[pool.endpoint] ?? 0;
      if (pool.held.length > pool.target()) await pool.shrink();
      else if (pool.demand > pool.inUse) void pool.grow();
    }
  }

  async releaseAll() {
    for (const pool of this.pools.values()) pool.dispose();
    await this.prisma.$executeRaw`UPDATE endpoint_slots SET holder = NULL, lease_until = NULL WHERE holder = ${this.workerId}`;
  }
}
