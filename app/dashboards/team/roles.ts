import type { RoleName } from "~/server/db/schema";

/** The roles as the team page names and orders them (the server's ROLE_NAMES, kept client-side). */
export const ROLES: readonly { value: RoleName; label: string; summary: string }[] = [
  { value: "ADMIN", label: "Admin", summary: "manages the team and data sources" },
  { value: "ANALYST", label: "Analyst", summary: "connects and syncs data sources" },
  { value: "VIEWER", label: "Viewer", summary: "reads dashboards" },
];

export const roleLabel = (role: string) => ROLES.find((r) => r.value === role)?.label ?? role;
