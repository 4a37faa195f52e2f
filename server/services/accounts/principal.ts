/**
 * Who is calling: the verified user with their tenant and roles. Services take a Principal,
 * never a request. Roles are read from the database on every request, so a revoked role or a
 * deactivated user stops working at once, not when the access token expires.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { users, type RoleName } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { forbidden } from "../errors";

export interface UserView {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  tenant: string;
  timezone: string;
  roles: RoleName[];
}

export interface Principal {
  userId: string;
  tenantId: string;
  roles: RoleName[];
  isSuperuser: boolean;
  user: UserView;
}

/** A principal as loaded for a credential that names a token version (see jwt.ts `ver`). */
export interface LoadedPrincipal extends Principal {
  tokenVersion: number;
}

const RANK: Record<RoleName, number> = { VIEWER: 1, ANALYST: 2, ADMIN: 3 };

/** True when the principal holds `role` or a stronger one (the strongest role applies). */
export function hasRole(principal: Principal, role: RoleName): boolean {
  return principal.roles.some((r) => RANK[r] >= RANK[role]);
}

export function requireRole(principal: Principal, ...allowed: RoleName[]): void {
  const weakest = Math.min(...allowed.map((r) => RANK[r]));
  if (!principal.roles.some((r) => RANK[r] >= weakest)) throw forbidden();
}

/**
 * The user's role names as one correlated sub-select, so a user list stays one statement.
 * The outer column is spelled out: drizzle renders single-table columns unqualified, and a bare
 * "id" inside the sub-select would bind to user_roles.id.
 */
export const rolesOf = (): SQL<RoleName[]> =>
  sql<RoleName[]>`coalesce((select array_agg(ur.role order by ur.role)::text[] from user_roles ur where ur.user_id = "users"."id"), '{}'::text[])`;

/** Columns that make a UserView; shared by every query that returns users. */
export const userViewColumns = {
  id: users.id,
  email: users.email,
  first_name: users.firstName,
  last_name: users.lastName,
  tenant: users.tenantId,
  timezone: users.timezone,
  roles: rolesOf(),
};

export async function selectUserView(tx: Tx, tenantId: string, userId: string) {
  const [row] = await tx
    .select({ ...userViewColumns, isActive: users.isActive, isSuperuser: users.isSuperuser, tokenVersion: users.tokenVersion })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)))
    .limit(1);
  return row;
}

/**
 * Loads an active user as a Principal in one statement, or null. The user's token version comes
 * with it, so the caller can refuse a credential issued before the last password change or
 * sign-out without another round trip.
 */
export async function loadPrincipal(tenantId: string, userId: string): Promise<LoadedPrincipal | null> {
  const row = await withTenant(tenantId, (tx) => selectUserView(tx, tenantId, userId));
  if (!row || !row.isActive) return null;
  const { isActive: _active, isSuperuser, tokenVersion, ...user } = row;
  return { userId: user.id, tenantId: user.tenant, roles: user.roles, isSuperuser, tokenVersion, user };
}
