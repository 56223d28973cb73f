import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/queries";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { NewUserForm } from "./_components/new-user-form";
import { RoleSelect } from "./_components/role-select";
import { ListTable } from "@/components/ui/list-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePageRole("admin");
  const users = await listUsers();
  return (
    <main className="max-w-4xl">
      <h1 className="text-xl font-semibold">Users</h1>
      <p className="mt-1 text-slate-600">
        Viewers read; experts also label; researchers also register and run judges, import and export; admins also manage users.
      </p>
      <ListTable className="mt-4" data-testid="users-table"
        head={
          <>
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-4 py-2 font-medium">Email</th>
            <th className="px-4 py-2 font-medium">Role</th>
            <th className="px-4 py-2 font-medium">Since</th>
          </>
        }
      >
        {users.map((u) => (
          <tr key={u.id} data-email={u.email}>
            <td className="px-4 py-2">{u.name}</td>
            <td className="px-4 py-2">{u.email}</td>
            <td className="px-4 py-2">
              <RoleSelect userId={u.id} role={u.role} label={`Role of ${u.email}`} isSelf={u.id === me.id} />
            </td>
            <td className="px-4 py-2 text-slate-500">{u.createdAt.toISOString().slice(0, 10)}</td>
          </tr>
        ))}
      </ListTable>
      <NewUserForm minPasswordLength={MIN_PASSWORD_LENGTH} />
    </main>
  );
}
