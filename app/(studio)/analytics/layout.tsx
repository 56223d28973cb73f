import { Suspense, type ReactNode } from "react";
import { AnalyticsNav } from "./_components/analytics-nav";

export default function AnalyticsLayout({ children }: { children: ReactNode }) {
  return (
    <div>
      <Suspense fallback={<div className="h-10 border-b border-slate-200" />}>
        <AnalyticsNav />
      </Suspense>
      <div className="pt-5">{children}</div>
    </div>
  );
}
