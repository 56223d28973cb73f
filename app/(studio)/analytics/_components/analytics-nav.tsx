"use client";

// The analytics views as tabs; each keeps the dataset of the current view.
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

export const ANALYTICS_VIEWS = [
  { href: "/analytics", label: "Overview" },
  { href: "/analytics/agreement", label: "Agreement" },
  { href: "/analytics/quality", label: "Judges vs experts" },
  { href: "/analytics/calibration", label: "Calibration" },
  { href: "/analytics/rewards", label: "Rewards" },
  { href: "/analytics/experts", label: "Experts vs experts" },
  { href: "/analytics/consistency", label: "Self-consistency" },
] as const;

export function AnalyticsNav() {
  const pathname = usePathname();
  const dataset = useSearchParams().get("dataset");
  return (
    <nav aria-label="Analytics views" className="flex flex-wrap gap-1 border-b border-slate-200">
      {ANALYTICS_VIEWS.map((v) => {
        const isActive = pathname === v.href;
        return (
          <Link
            key={v.href}
            href={dataset ? `${v.href}?dataset=${dataset}` : v.href}
            aria-current={isActive ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 ${isActive ? "border-blue-600 font-medium text-slate-900" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {v.label}
          </Link>
        );
      })}
    </nav>
  );
}
