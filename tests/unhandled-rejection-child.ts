// Run by lib/runs/survive.test.ts in a process of its own: a worker process's handler of unhandled
// rejections, then a rejection nobody handles, as pg-boss leaves one when the database ends the
// connection under a job's completion; with BUG=1, then a rejection of another kind.
import { surviveLostQueueUpdates } from "@/lib/runs/worker";

surviveLostQueueUpdates((line) => console.log(line));
void Promise.reject(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }));
setTimeout(() => {
  console.log("still working");
  if (process.env.BUG === "1") void Promise.reject(new Error("a bug, not a lost connection"));
  setTimeout(() => process.exit(0), 200);
}, 200);
