// Which errors say the database connection was lost (and not that a statement was wrong).
import { describe, expect, it } from "vitest";
import { isConnectionLost } from "./connection";

describe("isConnectionLost", () => {
  it("knows the server's and the socket's ways of saying so", () => {
    for (const code of ["57P01", "57P02", "57P03", "08006", "08003", "ECONNRESET", "ECONNREFUSED"]) expect(isConnectionLost({ code, message: "x" }), code).toBe(true);
    expect(isConnectionLost(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionLost(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
  });

  it("sees through Prisma's driver adapter, which wraps them", () => {
    // As Prisma 7 reports a stopped server: its message, and the adapter's error as the cause.
    expect(isConnectionLost(Object.assign(new Error("Invalid `prisma.user.findMany()` invocation:\n\nCan't reach database server at 127.0.0.1:5432"), { code: "P1001" }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error("Raw query failed."), { cause: { kind: "DatabaseNotReachable", host: "127.0.0.1" } }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error("wrapped"), { cause: Object.assign(new Error("inner"), { cause: { code: "57P01" } }) }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error("Unique constraint failed"), { code: "P2002", cause: { kind: "UniqueConstraintViolation" } }))).toBe(false);
  });

  it("is false for a wrong statement, a constraint, or anything else", () => {
    for (const code of ["42601", "23505", "22P02", "57014", undefined]) expect(isConnectionLost({ code, message: "syntax error" }), String(code)).toBe(false);
    expect(isConnectionLost(null)).toBe(false);
    expect(isConnectionLost("Connection terminated")).toBe(false);
  });
});
