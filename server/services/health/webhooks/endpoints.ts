/**
 * Webhook endpoints (ADMIN only): register, list, change, delete, rotate the secret. The secret is
 * generated here, returned only by create and rotate, and stored as vault ciphertext bound to the
 * endpoint row. Destinations are checked at registration (and again at every delivery).
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { webhookEndpoints, type EventType } from "../../../db/schema";
import { withTenant } from "../../../db/tenant";
import { env } from "../../../env";
import { checkDestination, DestinationRefused } from "../../../infra/webhooks/post";
import { requireRole, type Principal } from "../../accounts/principal";
import { recordAudit } from "../../audit";
import { fieldError, notFound } from "../../errors";
import { isUuid } from "../../validation";
import { encryptSecret } from "../../vault";
import { newWebhookSecret } from "./signature";
import type { CreateEndpointInput, UpdateEndpointInput } from "./schemas";

type EndpointRow = typeof webhookEndpoints.$inferSelect;

export const secretLocation = (row: { id: string; tenantId: string }) => ({ tenantId: row.tenantId, table: "webhook_endpoints", column: "secret_enc", rowId: row.id });

export function endpointView(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    events: row.events as EventType[],
    is_active: row.isActive,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    disabled_reason: row.disabledReason,
  };
}

async function validUrl(raw: string): Promise<string> {
  try {
    return (await checkDestination(raw, { allowPrivate: env().WEBHOOKS_ALLOW_PRIVATE })).url.toString();
  } catch (error) {
    if (error instanceof DestinationRefused) throw fieldError("url", error.message);
    throw error;
  }
}

const uniqueEvents = (events: EventType[] | undefined) => [...new Set(events ?? [])];

/** Another tenant's id, or no such id: the same 404. */
export async function loadEndpoint(tx: Tx, tenantId: string, id: string): Promise<EndpointRow> {
  if (!isUuid(id)) throw notFound();
  const [row] = await tx.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)));
  if (!row) throw notFound();
  return row;
}

export async function listEndpoints(principal: Principal) {
  requireRole(principal, "ADMIN");
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, principal.tenantId)).orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id)),
  );
  return rows.map(endpointView);
}

export async function createEndpoint(principal: Principal, input: CreateEndpointInput) {
  requireRole(principal, "ADMIN");
  const url = await validUrl(input.url);
  const secret = newWebhookSecret();
  const id = randomUUID();
  const row = await withTenant(principal.tenantId, async (tx) => {
    const secretEnc = await encryptSecret(tx, secretLocation({ id, tenantId: principal.tenantId }), secret);
    const [saved] = await tx
      .insert(webhookEndpoints)
      .values({ id, tenantId: principal.tenantId, url, events: uniqueEvents(input.events), secretEnc, createdBy: principal.userId })
      .returning();
    await recordAudit(tx, { tenantId: principal.tenantId, userId: principal.userId, action: "webhook_created", resourceType: "webhook_endpoint", resourceId: id, metadata: { url, events: saved!.events } });
    return saved!;
  });
  return { ...endpointView(row), secret };
}

export async function updateEndpoint(principal: Principal, id: string, input: UpdateEndpointInput) {
  requireRole(principal, "ADMIN");
  const url = input.url === undefined ? undefined : await validUrl(input.url);
  const row = await withTenant(principal.tenantId, async (tx) => {
    await loadEndpoint(tx, principal.tenantId, id);
    const [saved] = await tx
      .update(webhookEndpoints)
      .set({
        ...(url !== undefined ? { url } : {}),
        ...(input.events !== undefined ? { events: uniqueEvents(input.events) } : {}),
        // Turning an endpoint on (again) starts with a clean slate.
        ...(input.is_active !== undefined ? { isActive: input.is_active, ...(input.is_active ? { disabledReason: null, failingSince: null } : {}) } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAudit(tx, { tenantId: principal.tenantId, userId: principal.userId, action: "webhook_updated", resourceType: "webhook_endpoint", resourceId: id, metadata: { changed: Object.keys(input) } });
    return saved!;
  });
  return endpointView(row);
}

export async function deleteEndpoint(principal: Principal, id: string): Promise<void> {
  requireRole(principal, "ADMIN");
  await withTenant(principal.tenantId, async (tx) => {
    const row = await loadEndpoint(tx, principal.tenantId, id);
    // Its deliveries go with it (cascade); queued attempts find no row and stop.
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, { tenantId: principal.tenantId, userId: principal.userId, action: "webhook_deleted", resourceType: "webhook_endpoint", resourceId: id, metadata: { url: row.url } });
  });
}

/** A new secret, effective for the next attempt; the old one stops signing at once. */
export async function rotateSecret(principal: Principal, id: string) {
  requireRole(principal, "ADMIN");
  const secret = newWebhookSecret();
  await withTenant(principal.tenantId, async (tx) => {
    const row = await loadEndpoint(tx, principal.tenantId, id);
    const secretEnc = await encryptSecret(tx, secretLocation(row), secret);
    await tx.update(webhookEndpoints).set({ secretEnc, updatedAt: sql`now()` }).where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, { tenantId: principal.tenantId, userId: principal.userId, action: "webhook_secret_rotated", resourceType: "webhook_endpoint", resourceId: id, metadata: {} });
  });
  return { secret };
}
