import { ROLES, type TRole } from "@/lib/auth/roles";

/**
 * One user per role in demo mode. Their passwords are public on purpose: the sign-in page shows
 * them, and only in demo mode (STUDIO_DEMO, on by default with the embedded database).
 */
export const DEMO_USERS: { role: TRole; email: string; name: string; password: string }[] = ROLES.map((role) => ({
  role,
  email: `${role}@demo.studio`,
  name: `Demo ${role}`,
  password: `demo-${role}-password`,
}));
