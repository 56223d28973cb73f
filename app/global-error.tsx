"use client";
// The last resort, when even the root layout failed: it replaces the whole document, so it has
// its own <html> and no styles but its own.
export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: "32rem", margin: "6rem auto", padding: "0 1.5rem", textAlign: "center", color: "#0f172a" }}>
        <title>Error · RLVR Studio</title>
        <h1 style={{ fontSize: "1.5rem" }}>The studio could not show this page</h1>
        <p style={{ color: "#475569" }}>The server ran into a problem. Nothing you saved was lost; try again in a moment.</p>
        {error.digest && <p style={{ color: "#64748b", fontSize: "0.875rem" }}>Reference {error.digest} (the server&apos;s log has the details)</p>}
        <button type="button" onClick={() => retry()} style={{ marginTop: "1rem", padding: "0.4rem 0.8rem" }}>
          Try again
        </button>
      </body>
    </html>
  );
}
