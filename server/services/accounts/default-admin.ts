/**
 * The default admin from spec/accounts.md, ensured at app start when ALLOW_DEFAULT_ADMIN is on.
 * Idempotent and safe when several instances start at once (every insert is ON CONFLICT DO
 * NOTHING); an existing user's password is never touched.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { tenants, userRoles, users } from "../../db/schema";
import { findUserByEmail } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { DEFAULT_ADMIN_PASSWORD, env } from "../../env";
import { log } from "../../infra/log";
import { recordAudit } from "../audit";
import { hashPassword } from "./passwords";

/** A stable tenant id derived from the name, so concurrent first starts agree on one tenant. */
function tenantIdFor(name: string): string {
  const h = createHash("sha256").update(`adinsights-default-tenant:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type DefaultAdminOutcome = "disabled" | "refused" | "exists" | "created";

/** The default tenant's id: DJANGO_DEFAULT_TENANT_ID, else the one derived from its name. */
export function defaultTenantId(): string {
  const admin = env().defaultAdmin;
  return admin.tenantId ?? tenantIdFor(admin.tenantName);
}

/** App start: provisions the default admin only when ALLOW_DEFAULT_ADMIN is on. */
export async function ensureDefaultAdmin(): Promise<DefaultAdminOutcome> {
  if (!env().ALLOW_DEFAULT_ADMIN) return "disabled";
  return provisionDefaultAdmin();
}

/**
 * Creates the default tenant and admin unless the admin's e-mail already exists. Also used by
 * `seed-dev-data`, which has its own guard (development, or ALLOW_DEFAULT_ADMIN).
 */
export async function provisionDefaultAdmin(): Promise<Exclude<DefaultAdminOutcome, "disabled">> {
  const e = env();
  const admin = e.defaultAdmin;
  if (e.isProduction && admin.password === DEFAULT_ADMIN_PASSWORD) {
    log.error("default admin refused: set DJANGO_DEFAULT_ADMIN_PASSWORD to a non-default value in production");
    return "refused";
  }
  if (await findUserByEmail(admin.email)) return "exists";

  const tenantId = defaultTenantId();
  const passwordHash = await hashPassword(admin.password);
  const created = await withTenant(tenantId, async (tx) => {
    await tx.insert(tenants).values({ id: tenantId, name: admin.tenantName }).onConflictDoNothing();
    const [user] = await tx
      .insert(users)
      .values({
        tenantId,
        email: admin.email,
        username: admin.username,
        passwordHash,
        isSuperuser: true,
        passwordChangedAt: sql`now()`,
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!user) return false; // another instance won the race
    await tx.insert(userRoles).values({ tenantId, userId: user.id, role: "ADMIN" }).onConflictDoNothing();
    await recordAudit(tx, {
      tenantId,
      userId: user.id,
      action: "default_admin_provisioned",
      resourceType: "user",
      resourceId: user.id,
      metadata: { email: admin.email },
    });
    return true;
  });
  if (created) log.info("default admin created", { email: admin.email, tenant_id: tenantId });
  return created ? "created" : "exists";
}
