/** Tenants: public sign-up, and the caller's view of tenants. */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { tenants, userRoles, users } from "../../db/schema";
import { isUniqueViolation } from "../../db/errors";
import { listAllTenants } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { recordAudit } from "../audit";
import { fieldError, notFound } from "../errors";
import { offsetOf, toPage, type Page, type PageRequest } from "../pagination";
import type { Principal } from "./principal";
import { checkedPasswordHash, EMAIL_TAKEN, newUserValues } from "./users";

export interface TenantView {
  id: string;
  name: string;
  created_at: Date;
}

export interface SignUpInput {
  name: string;
  admin_email: string;
  admin_password: string;
  admin_first_name?: string;
  admin_last_name?: string;
}

/**
 * Creates a tenant, its first user (ADMIN) and the audit row in one transaction: either all
 * exist afterwards or none do.
 */
export async function signUp(input: SignUpInput) {
  const passwordHash = await checkedPasswordHash(input.admin_password, input.admin_email, "admin_password");
  const tenantId = randomUUID();
  try {
    return await withTenant(tenantId, async (tx) => {
      const [tenant] = await tx.insert(tenants).values({ id: tenantId, name: input.name }).returning();
      const [admin] = await tx
        .insert(users)
        .values(
          newUserValues(tenantId, input.admin_email, passwordHash, {
            first_name: input.admin_first_name,
            last_name: input.admin_last_name,
          }),
        )
        .returning({ id: users.id });
      await tx.insert(userRoles).values({ tenantId, userId: admin!.id, role: "ADMIN" });
      await recordAudit(tx, {
        tenantId,
        userId: admin!.id,
        action: "tenant_created",
        resourceType: "tenant",
        resourceId: tenantId,
        metadata: { name: input.name },
      });
      return { id: tenant!.id, name: tenant!.name, created_at: tenant!.createdAt, admin_user_id: admin!.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw fieldError("admin_email", EMAIL_TAKEN);
    throw error;
  }
}

/** The caller's tenant; platform superusers see every tenant. */
export async function listTenants(principal: Principal, page: PageRequest): Promise<Page<TenantView>> {
  if (principal.isSuperuser) {
    const { count, rows } = await listAllTenants(page.pageSize, offsetOf(page));
    return toPage(page, count, rows);
  }
  const own = await getTenant(principal, principal.tenantId);
  return toPage(page, 1, page.page === 1 ? [own] : []);
}

export async function getTenant(principal: Principal, tenantId: string): Promise<TenantView> {
  // Another tenant's id answers 404 whether or not it exists (checked here and by RLS).
  if (tenantId !== principal.tenantId && !principal.isSuperuser) throw notFound();
  const [row] = await withTenant(tenantId, (tx) =>
    tx.select({ id: tenants.id, name: tenants.name, created_at: tenants.createdAt }).from(tenants).where(eq(tenants.id, tenantId)),
  );
  if (!row) throw notFound();
  return row;
}
