/** A Principal for unit tests of service rules: what loadPrincipal would return, built in memory. */
import type { RoleName } from "../../server/db/schema";
import type { Principal } from "../../server/services/accounts/principal";

export const TENANT = "00000000-0000-4000-8000-000000000001";
export const OTHER_TENANT = "00000000-0000-4000-8000-000000000002";

export function principalWith(roles: RoleName[], { tenantId = TENANT, userId = "00000000-0000-4000-8000-0000000000aa", isSuperuser = false } = {}): Principal {
  return {
    userId,
    tenantId,
    roles,
    isSuperuser,
    user: { id: userId, email: "someone@example.test", first_name: "", last_name: "", tenant: tenantId, timezone: "UTC", roles },
  };
}
