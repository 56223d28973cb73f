// The embedded database: PGlite is one backend shared by every client connection, so
// SessionQueue must run each client's transactions whole, and a client that misbehaves or goes
// away must not take the backend (or the process) down with it.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { endsIdle, protocolViolation, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

const bytes = (...parts: (string | ArrayLike<number>)[]) =>
  Uint8Array.from(parts.flatMap((p) => Array.from(typeof p === "string" ? Buffer.from(p, "latin1") : p)));
const readyForQuery = (status: string) => bytes("Z", [0, 0, 0, 5], status);

/** A frontend message: type byte, int32 length (itself included), body. */
function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function startupPacket(): Buffer {
  const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196_608, 4); // protocol 3.0
  return Buffer.concat([head, params]);
}

describe("endsIdle", () => {
  it("is true when the reply ends with ReadyForQuery(idle)", () => {
    expect(endsIdle(readyForQuery("I"))).toBe(true);
    // CommandComplete then ReadyForQuery: only the last 6 bytes count
    expect(endsIdle(bytes("C", [0, 0, 0, 11], "COMMIT\0", readyForQuery("I")))).toBe(true);
  });

  it("is false inside a transaction block or a failed one", () => {
    expect(endsIdle(readyForQuery("T"))).toBe(false);
    expect(endsIdle(readyForQuery("E"))).toBe(false);
  });

  it("is false for replies that do not end with ReadyForQuery", () => {
    expect(endsIdle(new Uint8Array(0))).toBe(false);
    expect(endsIdle(bytes([0, 0, 5], "I"))).toBe(false); // too short to hold the message
    expect(endsIdle(bytes("1", [0, 0, 0, 4]))).toBe(false); // ParseComplete: the exchange goes on
    // ReadyForQuery(idle) followed by more data is not the end of the reply
    expect(endsIdle(bytes(readyForQuery("I"), "1", [0, 0, 0, 4]))).toBe(false);
    // wrong length field
    expect(endsIdle(bytes("Z", [0, 0, 0, 6], "I"))).toBe(false);
  });
});

describe("protocolViolation", () => {
  it("accepts a startup packet and well-formed messages", () => {
    expect(protocolViolation(startupPacket())).toBeNull();
    expect(protocolViolation(message("Q", Buffer.from("SELECT 1\0")))).toBeNull();
    expect(protocolViolation(message("S"))).toBeNull();
    expect(protocolViolation(message("X"))).toBeNull();
  });

  it("rejects unknown message types and impossible lengths", () => {
    expect(protocolViolation(message("!"))).toMatch(/invalid frontend message type 33/);
    expect(protocolViolation(message("p", Buffer.from("secret\0")))).toMatch(/invalid frontend message type/);
    expect(protocolViolation(bytes("Q", [0, 0, 0, 0]))).toMatch(/invalid message length/);
    expect(protocolViolation(bytes("Q"))).toMatch(/invalid message length/);
  });
});

describe("embedded server", () => {
  let server: EmbeddedPostgres;
  let pool: pg.Pool;

  /** A raw protocol session, for what `pg` never sends: malformed messages, a half-done exchange. */
  async function rawSession() {
    const socket = connect(server.port, "127.0.0.1");
    let received = Buffer.alloc(0);
    socket.on("data", (data: Buffer) => (received = Buffer.concat([received, data])));
    socket.on("error", () => {}); // the server may reset it; `closed` says so
    const closed = once(socket, "close");
    await once(socket, "connect");
    socket.write(startupPacket());
    await until(() => endsIdle(received), "startup");
    received = Buffer.alloc(0);
    return { socket, closed, received: () => received.toString("latin1") };
  }

  const socketOf = (client: pg.Client) => client.connection.stream as Socket;

  beforeAll(async () => {
    server = await startEmbeddedPostgres({ dataDir: "memory://" });
    pool = new pg.Pool({ connectionString: server.url, max: 8 });
    await pool.query("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)");
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  beforeEach(async () => {
    await pool.query("TRUNCATE counters");
    await pool.query("INSERT INTO counters SELECT g, 0 FROM generate_series(0, 4) g");
  });

  const counters = async () =>
    (await pool.query<{ id: number; n: number }>("SELECT id, n FROM counters ORDER BY id")).rows.map((r) => r.n);

  it("runs 200 concurrent read-modify-write transactions over 8 connections without losing an update", async () => {
    // Read, yield, write back: on a Postgres server at READ COMMITTED this loses updates. Here it
    // must not, because each client's transaction runs whole before another client's starts.
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const ids = [i % 4, 4]; // one of four rows, and a row every transaction touches
          const { rows } = await client.query<{ id: number; n: number }>(
            "SELECT id, n FROM counters WHERE id = ANY($1::int[]) ORDER BY id",
            [ids],
          );
          await new Promise((resolve) => setImmediate(resolve));
          for (const row of rows) await client.query("UPDATE counters SET n = $2 WHERE id = $1", [row.id, row.n + 1]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        } finally {
          client.release();
        }
      }),
    );
    expect(pool.totalCount).toBe(8); // the pool did open its 8 connections
    expect(await counters()).toEqual([50, 50, 50, 50, 200]);
  }, 60_000);

  it.each([
    ["closes its socket", (socket: Socket) => socket.destroy()],
    ["resets its socket", (socket: Socket) => socket.resetAndDestroy()],
  ])("rolls back the open transaction of a client that %s, and the others proceed", async (_, kill) => {
    const dying = new pg.Client({ connectionString: server.url });
    dying.on("error", () => {}); // its socket goes away on purpose
    await dying.connect();
    await dying.query("BEGIN");
    await dying.query("UPDATE counters SET n = 999 WHERE id = 0");

    // Queued behind the open transaction, answered once the server has undone it.
    const waiting = pool.query<{ n: number }>("SELECT n FROM counters WHERE id = 0");
    kill(socketOf(dying));
    expect((await within(waiting, "read after the disconnect")).rows[0]?.n).toBe(0);
    // No lock or transaction state is left behind: others can write the row.
    await within(pool.query("UPDATE counters SET n = n + 1 WHERE id = 0"), "write after the disconnect");
    expect((await counters())[0]).toBe(1);
  }, 30_000);

  it("lets the others proceed when a client dies mid extended-protocol exchange after an error", async () => {
    // After an error PGlite skips every message until Sync; the client went away before sending
    // one, so the server must send it, or the next client's queries are never answered.
    const raw = await rawSession();
    raw.socket.write(Buffer.concat([message("P", Buffer.from("\0SELEC 1\0\0\0")), message("H")]));
    await until(() => raw.received().includes("syntax error"), "the Parse error");
    const waiting = pool.query<{ one: number }>("SELECT 1 AS one");
    raw.socket.destroy();
    expect((await within(waiting, "query after the disconnect")).rows).toEqual([{ one: 1 }]);
  }, 30_000);

  it("disconnects a client that breaks the protocol, and the others keep working", async () => {
    const inFlight = Array.from({ length: 40 }, (_, i) => pool.query<{ i: number }>("SELECT $1::int AS i", [i]));
    const raw = await rawSession();
    raw.socket.write(message("!")); // no such message type: PGlite used to spin forever on it
    await within(raw.closed, "the server closing the connection");
    expect(raw.received()).toContain("invalid frontend message type");
    const results = await within(Promise.all(inFlight), "the pool's queries");
    expect(results.map((r) => r.rows[0]?.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect((await pool.query("SELECT count(*)::int AS n FROM counters")).rows).toEqual([{ n: 5 }]);
  }, 30_000);

  it("keeps an SQL error inside one client's transaction away from the others", async () => {
    // Every fifth transaction fails after its first write; its connection goes back to the pool
    // and is reused. Only the successful transactions' writes remain.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, async (_, i) => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          await client.query("UPDATE counters SET n = n + 1 WHERE id = 0");
          if (i % 5 === 0) await client.query("SELECT 1 / 0");
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        } finally {
          client.release();
        }
      }),
    );
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(10);
    expect((await counters())[0]).toBe(40);
  }, 30_000);
});

/** Waits for `promise`, failing after `ms` instead of hanging the suite when the server is stuck. */
async function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}: the server is stuck`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(condition: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
