import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/queries";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { NewUserForm } from "./_components/new-user-form";
import { RoleSelect } from "./_components/role-select";
import { AccountControls } from "./_components/account-controls";
import { formatWhen } from "@/components/ui/format";
import { ListTable } from "@/components/ui/list-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePageRole("admin");
  const users = await listUsers();
  return (
    <main className="max-w-5xl">
      <h1 className="text-xl font-semibold">Users</h1>
      <p className="mt-1 text-slate-600">
        Viewers read; experts also label; researchers also register and run judges, import and export; admins also manage users. A disabled
        account cannot sign in and its API tokens stop working; its labels and work stay.
      </p>
      <ListTable className="mt-4" data-testid="users-table"
        head={
          <>
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-4 py-2 font-medium">Email</th>
            <th className="px-4 py-2 font-medium">Role</th>
            <th className="px-4 py-2 font-medium">Since</th>
            <th className="px-4 py-2 font-medium">Account</th>
          </>
        }
      >
        {users.map((u) => (
          <tr key={u.id} data-email={u.email} className={u.disabledAt ? "text-slate-400" : undefined}>
            <td className="px-4 py-2">
              {u.name}
              {u.disabledAt && (
                <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" data-testid="disabled">
                  disabled {formatWhen(u.disabledAt)} UTC
                </span>
              )}
            </td>
            <td className="px-4 py-2">{u.email}</td>
            <td className="px-4 py-2">
              <RoleSelect userId={u.id} role={u.role} label={`Role of ${u.email}`} isSelf={u.id === me.id} />
            </td>
            <td className="px-4 py-2 whitespace-nowrap text-slate-500">{u.createdAt.toISOString().slice(0, 10)}</td>
            <td className="px-4 py-2">
              <AccountControls userId={u.id} email={u.email} disabled={u.disabledAt !== null} isSelf={u.id === me.id} minPasswordLength={MIN_PASSWORD_LENGTH} />
            </td>
          </tr>
        ))}
      </ListTable>
      <NewUserForm minPasswordLength={MIN_PASSWORD_LENGTH} />
    </main>
  );
}
