import type { Principal } from "./principal";

/** The caller's profile. The principal already holds it, so this costs no query. */
export function me(principal: Principal) {
  return { user: principal.user, tenant_id: principal.tenantId };
}
