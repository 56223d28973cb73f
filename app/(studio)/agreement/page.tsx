import { redirect } from "next/navigation";
import { requirePageRole } from "@/lib/auth/session";

// The agreement view moved under Analytics; old links keep working.
export default async function AgreementRedirect({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("viewer");
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) for (const v of Array.isArray(value) ? value : value ? [value] : []) params.append(key, v);
  redirect(`/analytics/agreement${params.size ? `?${params.toString()}` : ""}`);
}
