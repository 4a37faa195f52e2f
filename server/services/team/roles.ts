/**
 * Role assignments of a tenant: list, grant, revoke, and the members view for the browser.
 * Grants and revokes write their audit row in the same transaction; a tenant always keeps at
 * least one ADMIN assignment.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { tenants, userRoles, users, type RoleName } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { recordAudit } from "../audit";
import { AppError, notFound } from "../errors";
import { fromWindowed, offsetOf, type Page, type PageRequest } from "../pagination";
import type { Principal } from "../accounts/principal";
import { pageOfUsers } from "../accounts/users";
import { assertKeepsAnAdmin, assertMayManageRoles } from "./role-rules";
import type { AssignRoleInput } from "./schemas";

export { LAST_ADMIN } from "./role-rules";

export const NOT_IN_TENANT = "The selected user does not belong to this tenant.";

export interface RoleAssignment {
  id: string;
  user: string;
  tenant: string;
  role: RoleName;
  created_at: Date;
}

const assignmentColumns = {
  id: userRoles.id,
  user: userRoles.userId,
  tenant: userRoles.tenantId,
  role: sql<RoleName>`${userRoles.role}`,
  created_at: userRoles.createdAt,
};

/** GET /api/user-roles/ (any role): the caller's tenant's assignments, oldest first; one statement. */
export async function listRoleAssignments(principal: Principal, page: PageRequest): Promise<Page<RoleAssignment>> {
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx
      .select({ ...assignmentColumns, total: sql<number>`count(*) over ()` })
      .from(userRoles)
      .where(eq(userRoles.tenantId, principal.tenantId))
      .orderBy(asc(userRoles.createdAt), asc(userRoles.id))
      .limit(page.pageSize)
      .offset(offsetOf(page)),
  );
  return fromWindowed(page, rows);
}

/**
 * POST /api/roles/assign/ and /api/user-roles/ (ADMIN). The target must be a user of the
 * caller's tenant (RLS hides every other user, so another tenant's id looks unknown). Granting
 * a role the user already holds returns the existing assignment with `created: false`.
 */
export async function assignRole(
  principal: Principal,
  input: AssignRoleInput,
): Promise<{ assignment: RoleAssignment; created: boolean }> {
  assertMayManageRoles(principal);
  return withTenant(principal.tenantId, async (tx) => {
    const [target] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.id, input.user), eq(users.tenantId, principal.tenantId)));
    if (!target) throw new AppError("validation", NOT_IN_TENANT, { fields: { non_field_errors: [NOT_IN_TENANT] } });
    const [created] = await tx
      .insert(userRoles)
      .values({ tenantId: principal.tenantId, userId: target.id, role: input.role })
      .onConflictDoNothing({ target: [userRoles.userId, userRoles.role] })
      .returning(assignmentColumns);
    if (!created) {
      const [existing] = await tx
        .select(assignmentColumns)
        .from(userRoles)
        .where(and(eq(userRoles.userId, target.id), eq(userRoles.role, input.role)));
      return { assignment: existing!, created: false };
    }
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "role_assigned",
      resourceType: "user_role",
      resourceId: created.id,
      metadata: { role: input.role, target_user_id: target.id, target_email: target.email },
    });
    return { assignment: created, created: true };
  });
}

/**
 * DELETE /api/user-roles/{id}/ (ADMIN). Role changes of one tenant are serialised on its tenant
 * row, so two admins removing each other's ADMIN role at once cannot both succeed.
 */
export async function revokeRole(principal: Principal, assignmentId: string): Promise<void> {
  assertMayManageRoles(principal);
  await withTenant(principal.tenantId, async (tx) => {
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, principal.tenantId)).for("no key update");
    const [assignment] = await tx
      .select({ id: userRoles.id, userId: userRoles.userId, role: userRoles.role })
      .from(userRoles)
      .where(and(eq(userRoles.id, assignmentId), eq(userRoles.tenantId, principal.tenantId)));
    if (!assignment) throw notFound();
    // Only an ADMIN assignment can be the last one; the others skip the count.
    if (assignment.role === "ADMIN") {
      const [admins] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(userRoles)
        .where(and(eq(userRoles.tenantId, principal.tenantId), eq(userRoles.role, "ADMIN")));
      assertKeepsAnAdmin(assignment.role, admins?.n ?? 0);
    }
    await tx.delete(userRoles).where(eq(userRoles.id, assignment.id));
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "role_revoked",
      resourceType: "user_role",
      resourceId: assignment.id,
      metadata: { role: assignment.role, target_user_id: assignment.userId },
    });
  });
}

export interface Member {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  roles: { id: string; role: RoleName }[];
}

/** Members of the caller's tenant with their assignments (ids, for revoking); one statement. */
export function listMembers(principal: Principal, page: PageRequest): Promise<Page<Member>> {
  return pageOfUsers(principal, page, {
    id: users.id,
    email: users.email,
    first_name: users.firstName,
    last_name: users.lastName,
    is_active: users.isActive,
    roles: sql<Member["roles"]>`coalesce((select json_agg(json_build_object('id', ur.id, 'role', ur.role) order by ur.role) from user_roles ur where ur.user_id = "users"."id"), '[]'::json)`,
  });
}
