import { describe, expect, it } from "vitest";
import { adoptSnapshot } from "./shared-snapshot";

describe("adoptSnapshot", () => {
  it("puts the server's snapshot ids into the statement", () => {
    // the forms pg_export_snapshot() returns: PostgreSQL 13+ "00000003-0000001B-1", older "000003A1-1"
    expect(adoptSnapshot("00000003-0000001B-1")).toBe("SET TRANSACTION SNAPSHOT '00000003-0000001B-1'");
    expect(adoptSnapshot("000003A1-1")).toBe("SET TRANSACTION SNAPSHOT '000003A1-1'");
  });

  it("refuses anything else, which would go into SQL text", () => {
    for (const id of ["", "x", "1'; DROP TABLE users; --", "00000003-0000001B-1' OR '1", "0-0-0-0"]) expect(() => adoptSnapshot(id)).toThrow(/unexpected snapshot id/);
  });
});
