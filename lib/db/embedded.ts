// The embedded database: a real Postgres (PGlite, WebAssembly) served on a loopback port, so
// the studio, the CLI and workers all reach it through `pg` exactly as they reach a server.
//
// PGlite is one backend. Several client connections share it, so messages from two clients must
// never interleave inside one transaction or one extended-protocol exchange (Parse..Sync uses
// the unnamed statement, which a second client would overwrite). `SessionQueue` therefore hands
// the backend to one client from its first message until PGlite answers ReadyForQuery with the
// status "idle": transactions and pipelines of each client run whole, one after the other.
import { createServer, type Server, type Socket } from "node:net";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";

type Item = {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};

const READY_FOR_QUERY = 0x5a; // 'Z'
const STATUS_IDLE = 0x49; // 'I'
const PROTOCOL_3 = 196_608;
// The message types PostgreSQL accepts from a client after startup. PGlite never returns from
// some others (an unknown type, a PasswordMessage), which froze the whole process, so they end
// the connection with PostgreSQL's own "invalid frontend message type" error instead.
const FRONTEND_TYPES = new Set([..."BCDEFHPQSXcdf"].map((c) => c.charCodeAt(0)));

/** True when `tail` (the last bytes of a reply) ends with ReadyForQuery(idle). */
export function endsIdle(tail: Uint8Array): boolean {
  const n = tail.length;
  return (
    n >= 6 &&
    tail[n - 6] === READY_FOR_QUERY &&
    tail[n - 5] === 0 &&
    tail[n - 4] === 0 &&
    tail[n - 3] === 0 &&
    tail[n - 2] === 5 &&
    tail[n - 1] === STATUS_IDLE
  );
}

/** Why `message` must not reach PGlite, or null for a startup packet or a well-formed message. */
export function protocolViolation(message: Uint8Array): string | null {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  if (message.length >= 8 && view.getInt32(0) === message.length && view.getInt32(4) === PROTOCOL_3) return null;
  const type = message[0] ?? 0;
  if (!FRONTEND_TYPES.has(type)) return `invalid frontend message type ${type}`;
  if (message.length < 5 || view.getInt32(1) !== message.length - 1) return "invalid message length";
  return null;
}

function fatalError(code: string, text: string): Uint8Array {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`);
  const out = Buffer.alloc(5 + body.length);
  out[0] = 0x45; // 'E'
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

export class SessionQueue {
  private queue: Item[] = [];
  private owner: number | null = null;
  private pumping = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const violation = protocolViolation(message);
    if (violation) {
      // The handler closes a connection whose message is rejected (and rolls back its transaction).
      onData(fatalError("08P01", violation));
      return Promise.reject(new Error(violation));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength() {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number) {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("connection closed"));
      return false;
    });
  }

  /** A client went away: undo what it left open and give the backend to the others. */
  async clearTransactionIfNeeded(handlerId: number) {
    if (this.owner !== handlerId) return;
    try {
      // Always, not only in a transaction block: `exec` sends Query + Sync, and the Sync ends an
      // extended-protocol exchange the client left unfinished (after an error PGlite skips every
      // message until Sync, so the next client's queries would get no answer at all), while the
      // ROLLBACK aborts what Execute started. A failed block skipped the ROLLBACK: undo it after.
      await this.db.exec("ROLLBACK");
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } catch {
      // nothing more can be undone; the backend goes to the next client either way
    } finally {
      this.owner = null;
      void this.pump();
    }
  }

  private async pump() {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.queue.findIndex((i) => i.handlerId === this.owner);
        if (index < 0 || this.queue.length === 0) break;
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        let bytes = 0;
        let tail: Uint8Array = new Uint8Array(0);
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                tail = data.length >= 6 ? data.subarray(data.length - 6) : concatTail(tail, data);
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = null;
          item.reject(error);
          continue;
        }
        this.owner = endsIdle(tail) ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.pumping = false;
    }
  }
}

function concatTail(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined.subarray(Math.max(0, joined.length - 6));
}

export type EmbeddedPostgres = { url: string; port: number; stop: () => Promise<void> };

/**
 * Starts PGlite on 127.0.0.1. `dataDir` keeps the data between starts; `memory://` keeps it in
 * memory (tests). Port 0 picks a free port.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
}): Promise<EmbeddedPostgres> {
  if (!options.dataDir.startsWith("memory://")) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const queue = new SessionQueue(db);
  const sockets = new Set<Socket>();
  const handlers = new Set<PGLiteSocketHandler>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const handler = new PGLiteSocketHandler({
      // The handler only calls enqueue/clearQueueForHandler/clearTransactionIfNeeded.
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    void handler.attach(socket).catch(() => socket.destroy());
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server.address();
      if (address && typeof address === "object") resolve(address.port);
      else reject(new Error("embedded database: no port"));
    });
  });

  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await Promise.all([...handlers].map((h) => h.detach(true)));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
