// Paths taken from a query string and followed after sign-in or a retry: only this site's own.
// "/\evil.example" passes a naive starts-with-one-slash test, and browsers read it as
// "//evil.example" (another site): the path is resolved against a placeholder origin instead, as
// a browser would, and kept only when the origin stays the same. The path so resolved is then
// followed as it is, so it must not itself start with "//": "/..//evil.example" resolves to the
// path "//evil.example" on the placeholder's origin, a protocol-relative link to another site.

/** Request header with the path of the page asked for, set by proxy.ts (never the client's own). */
export const PATH_HEADER = "x-studio-path";

const PLACEHOLDER = "http://studio.invalid";

/** `value` when it is a path on this site (with its query and hash), else `fallback`. */
export function localPath(value: string | string[] | undefined | null, fallback: string): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/")) return fallback;
  // Control characters and backslashes have no place in the paths the studio makes.
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  try {
    const url = new URL(raw, PLACEHOLDER);
    return url.origin === PLACEHOLDER && !url.pathname.startsWith("//") ? url.pathname + url.search + url.hash : fallback;
  } catch {
    return fallback;
  }
}
