/**
 * The decisions about role assignments, without I/O: roles.ts loads the rows (under the tenant
 * row lock) and calls these.
 */
import type { RoleName } from "../../db/schema";
import { requireRole, type Principal } from "../accounts/principal";
import { badRequest } from "../errors";

export const LAST_ADMIN = "A tenant must keep at least one administrator.";

/**
 * Only an ADMIN grants or revokes, and may grant any role, ADMIN included. An ANALYST or VIEWER
 * may do neither, not even to their own assignments (403, before the target is looked up).
 */
export function assertMayManageRoles(principal: Principal): void {
  requireRole(principal, "ADMIN");
}

/**
 * A revoke may not leave the tenant without an administrator: removing an ADMIN assignment needs
 * another one (`adminCount` counts the tenant's ADMIN assignments, the revoked one included).
 * Other roles can always go. An admin may drop their own ADMIN role while another admin remains.
 */
export function assertKeepsAnAdmin(revoked: RoleName, adminCount: number): void {
  if (revoked === "ADMIN" && adminCount <= 1) throw badRequest(LAST_ADMIN);
}
