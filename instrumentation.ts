// Runs once when a server instance starts (Next's instrumentation hook).
import { env } from "@/lib/env";

export async function register() {
  // Only in the Node.js server, never while `next build` collects pages.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startAnalyticsRefresher } = await import("@/lib/stats/refresher");
  startAnalyticsRefresher(env().STUDIO_ANALYTICS_REFRESH_SECONDS);
  const [{ startUploadSweeper }, { db }] = await Promise.all([import("@/lib/io/jobs"), import("@/lib/db/client")]);
  startUploadSweeper(db);
  // A dataset's deletion that a stop interrupted goes on.
  const { resumeDatasetDeletions } = await import("@/lib/datasets/delete");
  void resumeDatasetDeletions(db()).catch((error) => console.error(`[datasets] resuming deletions failed: ${(error as Error).message}`));
}
