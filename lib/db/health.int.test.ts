// The health check says up when the database answers and down, quickly, when it does not.
import { createServer, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client";
import { databaseHealth } from "./health";
import { testDb } from "@/tests/db";

describe("databaseHealth", () => {
  const clients: ReturnType<typeof createPrismaClient>[] = [];
  afterAll(() => Promise.all(clients.map((c) => c.$disconnect())));

  it("is ok while the database answers", async () => {
    const health = await databaseHealth(testDb());
    expect(health.ok).toBe(true);
  });

  it("is unreachable when nothing listens at the database's address", async () => {
    // a port that was free a moment ago: connections to it are refused
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const client = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/postgres`, 1);
    clients.push(client);
    expect(await databaseHealth(client)).toEqual({ ok: false, reason: "unreachable" });
  });

  it("times out when the server accepts connections and never answers", async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket)).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    const client = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/postgres`, 1);
    clients.push(client);
    const started = performance.now();
    expect(await databaseHealth(client, 300)).toEqual({ ok: false, reason: "timeout" });
    expect(performance.now() - started).toBeLessThan(2_000);
    for (const socket of sockets) socket.destroy();
    server.close();
  });
});
