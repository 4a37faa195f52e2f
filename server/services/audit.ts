/**
 * The audit trail. Rows are written with the caller's transaction so they commit or roll back
 * with the change they describe. Metadata is for context (ip, role, target); never secrets.
 */
import type { Tx } from "../db/client";
import { auditLogs } from "../db/schema";

/** Every event name the product writes; adding one here is the only way to log a new kind. */
export const AUDIT_ACTIONS = [
  "login",
  "logout",
  "tenant_created",
  "user_created",
  "default_admin_provisioned",
  "invite_created",
  "invite_resent",
  "invite_revoked",
  "invite_accepted",
  "role_assigned",
  "role_revoked",
  "password_reset_requested",
  "password_reset_completed",
  "credential_decrypted",
  "vault_key_rotated",
  "integration_oauth_connected",
  "integration_disconnected",
  "integration_provisioned",
  "integration_sync_triggered",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  tenantId: string;
  userId: string | null;
  action: AuditAction;
  resourceType?: string;
  resourceId?: string;
  metadata?: Record<string, unknown>;
}

export async function recordAudit(tx: Tx, event: AuditEvent): Promise<void> {
  await tx.insert(auditLogs).values({
    tenantId: event.tenantId,
    userId: event.userId,
    action: event.action,
    resourceType: event.resourceType ?? "",
    resourceId: event.resourceId ?? "",
    metadata: event.metadata ?? {},
  });
}
