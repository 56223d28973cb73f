import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { listJudges } from "@/lib/judges/queries";
import { ZRewardDefaults } from "@/lib/reward/options";
import { listTokens } from "@/lib/tokens/tokens";
import { formatWhen } from "@/components/ui/format";
import { NewTokenForm } from "./_components/new-token-form";
import { RevokeButton } from "./_components/revoke-button";
import { ListTable } from "@/components/ui/list-table";

export const metadata: Metadata = { title: "API tokens" };

function describeDefaults(json: unknown, judgeNames: Map<number, string>): string {
  const parsed = ZRewardDefaults.safeParse(json);
  if (!parsed.success || Object.keys(parsed.data).length === 0) return "—";
  const d = parsed.data;
  return [
    d.judge !== undefined && `judge ${typeof d.judge === "number" ? (judgeNames.get(d.judge) ?? `#${d.judge} (deleted)`) : d.judge}`,
    d.reward && `${d.reward} reward`,
    d.normalize && d.normalize !== "none" && `normalised per ${d.normalize}`,
    d.finalStep !== undefined && (d.finalStep ? "final step" : "whole response"),
  ]
    .filter(Boolean)
    .join(", ");
}

export default async function TokensPage() {
  await requirePageRole("admin");
  const [tokens, judges] = await Promise.all([listTokens(db()), listJudges()]);
  // A default judge since archived is refused by the reward endpoint: the list says so.
  const judgeNames = new Map(judges.map((j) => [j.id, j.archivedAt ? `${j.name} (archived)` : j.name]));
  return (
    <main className="max-w-5xl">
      <h1 className="text-xl font-semibold">API tokens</h1>
      <p className="mt-1 text-slate-600">
        Tokens let programs call the REST API (<code>Authorization: Bearer rlvr_…</code>): an RL trainer asking{" "}
        <code>POST /api/v1/reward</code> for rewards, scripts importing or exporting. A token is shown once, stored only as a hash, and can do only what its
        scopes allow; calls act as the admin who created it.
      </p>
      {tokens.length === 0 ? (
        <p className="mt-6 rounded-lg bg-white p-6 text-slate-600 shadow-sm ring-1 ring-slate-200" data-testid="tokens-empty">
          No tokens yet. Create one below for each trainer or script, so each can be revoked on its own.
        </p>
      ) : (
        <ListTable className="mt-4 text-sm" data-testid="tokens-table"
          head={
            <>
              <th className="px-3 py-2 font-medium">Name</th>
              <th className="px-3 py-2 font-medium">Token</th>
              <th className="px-3 py-2 font-medium">Scopes</th>
              <th className="px-3 py-2 font-medium">Reward defaults</th>
              <th className="px-3 py-2 font-medium">Created</th>
              <th className="px-3 py-2 font-medium">Last used</th>
              <th className="px-3 py-2 font-medium" />
            </>
          }
        >
          {tokens.map((t) => (
            <tr key={t.id} data-token-name={t.name} className={t.revokedAt ? "text-slate-400" : undefined}>
              <td className="px-3 py-2 font-medium">{t.name}</td>
              <td className="px-3 py-2 font-mono text-xs">{t.prefix}…</td>
              <td className="px-3 py-2">{t.scopes.join(", ")}</td>
              <td className="px-3 py-2">{describeDefaults(t.rewardDefaults, judgeNames)}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                {formatWhen(t.createdAt)}
                <div className="text-xs text-slate-500">{t.createdBy?.name ?? "deleted user"}</div>
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{t.lastUsedAt ? formatWhen(t.lastUsedAt) : "never"}</td>
              <td className="px-3 py-2 text-right">
                {t.revokedAt ? (
                  <span data-testid="revoked">revoked {formatWhen(t.revokedAt)}</span>
                ) : (
                  <div className="flex flex-col items-end gap-1">
                    {/* A token acts as its creator (lib/tokens/tokens.ts): it is refused while they cannot sign in. */}
                    {(!t.createdBy || t.createdBy.disabledAt) && (
                      <span className="text-xs text-amber-800" data-testid="token-inactive">
                        inactive: its creator {t.createdBy ? "is disabled" : "was deleted"}
                      </span>
                    )}
                    <RevokeButton id={t.id} name={t.name} />
                  </div>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      <NewTokenForm
        judges={judges.filter((j) => j.kind !== "external" && j.archivedAt === null).map((j) => ({ id: j.id, name: j.name, sizeLabel: j.sizeLabel }))}
        liveTokenIds={tokens.filter((t) => !t.revokedAt).map((t) => t.id)}
      />
    </main>
  );
}
