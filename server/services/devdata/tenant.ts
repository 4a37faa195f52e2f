/** Which tenant the dev commands target when no --tenant-id is given. */
import { findUserByEmail } from "../../db/system";
import { env } from "../../env";
import { defaultTenantId } from "../accounts/default-admin";

/** The default admin's tenant when that admin exists (seed-dev-data put the data there), else the configured default tenant. */
export async function devTenantId(): Promise<string> {
  const admin = await findUserByEmail(env().defaultAdmin.email);
  return admin?.tenantId ?? defaultTenantId();
}
