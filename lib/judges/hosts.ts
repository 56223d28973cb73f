// Where judges may send requests. A judge's base URL is any URL a researcher types, and the
// server (its workers, "Test judge") calls it: on a network with services that trust the
// studio's host (a cloud's metadata address, an admin panel), an admin can hold judges to the
// inference hosts they run with STUDIO_JUDGE_HOSTS. Unset, judges may call any host.
//
// Patterns, comma-separated: a host name or address ("gpu-1", "10.0.0.7", "[::1]"), with a port
// to allow that port only ("gpu-1:8000"), or "*.domain" for every host under a domain. Names are
// compared as written: a name that resolves to another address is not followed (use addresses to
// pin them).
import { AppError } from "@/lib/errors";

/** The patterns of STUDIO_JUDGE_HOSTS, lowercased; null when every host is allowed. Read on each call (tests set it). */
export function judgeHostPatterns(value = process.env.STUDIO_JUDGE_HOSTS): string[] | null {
  const patterns = (value ?? "")
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  return patterns.length === 0 ? null : patterns;
}

/** Whether a base URL's host is one the patterns allow. */
export function hostAllowed(baseUrl: string, patterns: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  const hostname = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return patterns.some((pattern) => {
    const [, host = pattern, wanted] = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(pattern) ?? [];
    if (wanted !== undefined && wanted !== port) return false;
    if (host.startsWith("*.")) return hostname.endsWith(host.slice(1)) && hostname.length > host.length - 1;
    return hostname === host;
  });
}

/** Refuses a base URL outside STUDIO_JUDGE_HOSTS, saying which hosts are allowed. */
export function assertJudgeHost(baseUrl: string, judgeName: string, patterns = judgeHostPatterns()): void {
  if (patterns === null || hostAllowed(baseUrl, patterns)) return;
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // shown as typed
  }
  throw new AppError("FORBIDDEN", `${judgeName}: judges may call ${patterns.join(", ")} only (STUDIO_JUDGE_HOSTS, set by whoever runs the studio), not ${host}`);
}
