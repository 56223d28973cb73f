// Roles are ordered: each one can do everything the ones before it can.
//   viewer     reads everything
//   expert     also labels responses
//   researcher also registers and runs judges, imports, exports
//   admin      also manages users
export const ROLES = ["viewer", "expert", "researcher", "admin"] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_LABEL: Record<TRole, string> = {
  viewer: "Viewer",
  expert: "Expert",
  researcher: "Researcher",
  admin: "Admin",
};

export function isRole(value: unknown): value is TRole {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `required` or above it. Unknown roles can do nothing. */
export function hasRole(role: unknown, required: TRole): boolean {
  return isRole(role) && ROLES.indexOf(role) >= ROLES.indexOf(required);
}
