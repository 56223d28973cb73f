// What a start of the studio does before it serves: apply migrations, make sure an admin exists,
// and in demo mode create one user per role and load the demo data set (once per database).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/db/generated/client";
import { migrate } from "@/lib/db/migrate";
import { loadOpenQaDemo } from "@/lib/demo/openqa";
import { DEMO_USERS } from "./demo-users";
import { createUser, generatePassword } from "@/lib/users/create";
import { sweepInterruptedJobs } from "@/lib/io/jobs";
import { ensureBuiltinTemplates } from "@/lib/judges/templates";
import { ANALYZE_ALL } from "@/lib/db/statistics";

export type TBootstrapOptions = {
  databaseUrl: string;
  demo: boolean;
  adminEmail?: string;
  adminPassword?: string;
  /** where a generated admin password is written (readable by this account only), not the log */
  adminPasswordFile: string;
  log: (line: string) => void;
};

/**
 * The file holds the password of the admin about to be created: one left from another database is
 * removed first, so the new one is created with mode 0600 and never sits in a file others may read.
 */
export function writeAdminPassword(file: string, password: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
}

export async function bootstrap(prisma: PrismaClient, options: TBootstrapOptions) {
  const { log } = options;
  await migrate(options.databaseUrl, { log });
  const interrupted = await sweepInterruptedJobs(prisma);
  if (interrupted > 0) log(`${interrupted} import/export job(s) were interrupted by the last stop; marked as such`);
  await ensureBuiltinTemplates(prisma);

  if ((await prisma.user.count({ where: { role: "admin" } })) === 0) {
    const email = options.adminEmail ?? "admin@studio.local";
    const password = options.adminPassword ?? generatePassword();
    // A file beside the auth secret rather than the log: logs are shipped, kept and read by others;
    // a secret never goes there. Written before the admin is made, so that a file that cannot be
    // written stops the start before there is an admin whose password nobody could know.
    if (!options.adminPassword) writeAdminPassword(options.adminPasswordFile, password);
    try {
      await createUser(prisma, { name: "Admin", email, password, role: "admin" });
    } catch (error) {
      if (!options.adminPassword) rmSync(options.adminPasswordFile, { force: true });
      throw error;
    }
    if (options.adminPassword) log(`created admin ${email} (password from ADMIN_PASSWORD)`);
    else log(`created admin ${email}; its password is in ${options.adminPasswordFile} (readable by this account only): sign in, change it, then delete the file`);
  }

  if (!options.demo) return;
  for (const user of DEMO_USERS) {
    if (await prisma.user.findUnique({ where: { email: user.email }, select: { id: true } })) continue;
    await createUser(prisma, user);
    log(`created demo user ${user.email}`);
  }
  const loaded = await prisma.auditEvent.findFirst({ where: { action: "demo.load" }, select: { id: true } });
  if (!loaded) {
    const started = Date.now();
    const report = await loadOpenQaDemo(prisma);
    // Planner statistics for the tables just filled: the embedded database has no autovacuum,
    // and a server's would only get there a minute later.
    await prisma.$executeRawUnsafe(ANALYZE_ALL);
    log(
      `loaded demo data set: ${report.items.questionsInserted} questions, ${report.items.responsesInserted} responses, ` +
        `${report.labels.inserted} expert labels, ` +
        Object.entries(report.judges).map(([name, s]) => `${s.inserted} ${name} judgments`).join(", ") +
        ` in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
