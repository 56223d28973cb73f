// The first admin's generated password goes to a file only its account can read, not to the log.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeAdminPassword } from "./bootstrap";

describe("the first admin's password", () => {
  it("is written to a new file of mode 0600, in a folder made for it, replacing one left from another database", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "admin-pw-")), "data", "initial-admin-password");
    writeAdminPassword(file, "first-password-123");
    expect(readFileSync(file, "utf8")).toBe("first-password-123\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, "old", { mode: 0o644 });
    writeAdminPassword(file, "second-password-456");
    expect(readFileSync(file, "utf8")).toBe("second-password-456\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
