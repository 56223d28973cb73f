import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "RLVR Studio", template: "%s · RLVR Studio" },
  description: "Reference-based verifier judgments: judges, agreement, expert labels, exports.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans text-sm antialiased">{children}</body>
    </html>
  );
}
