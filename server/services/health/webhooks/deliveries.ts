/**
 * Webhook deliveries: the log an ADMIN reads, redelivery, and the worker's attempt. An attempt
 * claims the row (attempts + 1, a lease in `next_attempt_at`), posts outside any transaction, then
 * records the answer: 2xx = delivered; anything else (error, timeout, redirect, refusal) = retry
 * after WEBHOOK_RETRY_BASE_MS · 2^(attempts−1) until `give_up_at` (24 h), then `failed`. An
 * endpoint whose every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS is disabled and its admins
 * are e-mailed, once.
 */
import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { connectionEvents, webhookDeliveries, webhookEndpoints } from "../../../db/schema";
import { tenantsWithDueWebhooks } from "../../../db/system";
import { withTenant } from "../../../db/tenant";
import { env } from "../../../env";
import { log } from "../../../infra/log";
import { postOnce } from "../../../infra/webhooks/post";
import { requireRole, type Principal } from "../../accounts/principal";
import { recordAudit } from "../../audit";
import { badRequest, notFound } from "../../errors";
import { isUuid } from "../../validation";
import { decryptSecret } from "../../vault";
import { withTenantThen, type AfterCommit } from "../after-commit";
import { alertAdmins, settingsLink } from "../alerts";
import { queueDeliveries, queueRetry } from "./dispatch";
import { loadEndpoint, secretLocation } from "./endpoints";
import { signatureHeader } from "./signature";

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    event_id: row.eventId,
    event_type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    next_attempt_at: row.status === "pending" ? iso(row.nextAttemptAt) : null,
    created_at: row.createdAt.toISOString(),
    delivered_at: iso(row.deliveredAt),
  };
}

/** Newest first; the last 100 (older ones stay in the table for the record). */
export async function listDeliveries(principal: Principal, endpointId: string) {
  requireRole(principal, "ADMIN");
  const rows = await withTenant(principal.tenantId, async (tx) => {
    await loadEndpoint(tx, principal.tenantId, endpointId);
    return tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(100);
  });
  return rows.map(deliveryView);
}

/** A new delivery of the same event to the same endpoint (the original's log stays as it was). */
export async function redeliver(principal: Principal, endpointId: string, deliveryId: string) {
  requireRole(principal, "ADMIN");
  if (!isUuid(deliveryId)) throw notFound();
  const windowSeconds = env().WEBHOOK_RETRY_WINDOW_MS / 1000;
  const created = await withTenant(principal.tenantId, async (tx) => {
    const endpoint = await loadEndpoint(tx, principal.tenantId, endpointId);
    const [original] = await tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)));
    if (!original) throw notFound();
    if (!endpoint.isActive) throw badRequest("The endpoint is disabled. Enable it before redelivering.");
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        tenantId: principal.tenantId,
        endpointId: endpoint.id,
        eventId: original.eventId,
        eventType: original.eventType,
        redeliveryOf: original.id,
        giveUpAt: sql`now() + make_interval(secs => ${windowSeconds})`,
      })
      .returning();
    await recordAudit(tx, { tenantId: principal.tenantId, userId: principal.userId, action: "webhook_redelivered", resourceType: "webhook_delivery", resourceId: row!.id, metadata: { endpoint_id: endpoint.id, redelivery_of: original.id } });
    return row!;
  });
  await queueDeliveries(principal.tenantId, [created.id]);
  return deliveryView(created);
}

/** Decrypted secrets, briefly: a burst of deliveries to one endpoint decrypts (and audits) once a minute. */
const SECRET_TTL_MS = 60_000;
const secrets = new Map<string, { secret: string; until: number }>();

async function endpointSecret(tx: Tx, endpoint: typeof webhookEndpoints.$inferSelect): Promise<string> {
  const key = `${endpoint.id}:${endpoint.secretEnc}`; // a rotated secret is a new key
  const hit = secrets.get(key);
  if (hit && hit.until > Date.now()) return hit.secret;
  const secret = await decryptSecret(tx, secretLocation(endpoint), endpoint.secretEnc, { actorUserId: null, job: "webhook_delivery", purpose: "webhook_signature" });
  if (secrets.size > 10_000) secrets.clear();
  secrets.set(key, { secret, until: Date.now() + SECRET_TTL_MS });
  return secret;
}

const CLAIM_LEASE_MS = 30_000;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);
export const retryDelayMs = (attempts: number) => env().WEBHOOK_RETRY_BASE_MS * 2 ** Math.max(attempts - 1, 0);

export type AttemptResult = "delivered" | "retry" | "failed" | "skipped";

/** One attempt of one delivery (the queue job). Never throws for the receiver's faults. */
export async function attemptDelivery(tenantId: string, deliveryId: string): Promise<AttemptResult> {
  const e = env();
  const claimed = await withTenant(tenantId, async (tx) => {
    // The small tolerance lets a delayed job that fires a hair early still claim its row.
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: new Date(Date.now() + e.WEBHOOK_TIMEOUT_MS + CLAIM_LEASE_MS), updatedAt: sql`now()` })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, sql`now() + interval '1 second'`)))
      .returning();
    if (!row) return null;
    const [joined] = await tx
      .select({ endpoint: webhookEndpoints, event: connectionEvents })
      .from(webhookEndpoints)
      .innerJoin(connectionEvents, eq(connectionEvents.id, row.eventId))
      .where(eq(webhookEndpoints.id, row.endpointId));
    if (!joined) return null;
    if (!joined.endpoint.isActive) {
      await tx.update(webhookDeliveries).set({ status: "failed", lastError: "The endpoint is disabled.", updatedAt: sql`now()` }).where(eq(webhookDeliveries.id, row.id));
      return null;
    }
    return { row, ...joined, secret: await endpointSecret(tx, joined.endpoint) };
  });
  if (!claimed) return "skipped";
  const { row, endpoint, event, secret } = claimed;

  const body = JSON.stringify({ id: event.id, type: event.type, created_at: event.createdAt.toISOString(), tenant_id: tenantId, data: event.data });
  let status: number | null = null;
  let error: string | null = null;
  try {
    status = (
      await postOnce({
        url: endpoint.url,
        body,
        timeoutMs: e.WEBHOOK_TIMEOUT_MS,
        allowPrivate: e.WEBHOOKS_ALLOW_PRIVATE,
        headers: {
          "content-type": "application/json",
          "user-agent": "ADinsights-Webhooks/1",
          "x-adinsights-event": event.type,
          "x-adinsights-delivery": row.id,
          "x-adinsights-signature": signatureHeader(secret, body),
        },
      })
    ).status;
    if (status >= 300 && status < 400) error = `Redirect (${status}) not followed.`;
    else if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (failure) {
    error = describe(failure);
  }
  return recordAttempt(tenantId, row, endpoint.id, status, error);
}

async function recordAttempt(tenantId: string, row: DeliveryRow, endpointId: string, status: number | null, error: string | null): Promise<AttemptResult> {
  const e = env();
  return withTenantThen(tenantId, async (tx, after) => {
    if (error === null) {
      await tx
        .update(webhookDeliveries)
        .set({ status: "succeeded", lastStatusCode: status, lastError: null, deliveredAt: sql`now()`, updatedAt: sql`now()` })
        .where(eq(webhookDeliveries.id, row.id));
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(and(eq(webhookEndpoints.id, endpointId), sql`${webhookEndpoints.failingSince} is not null`));
      return "delivered";
    }
    const delay = retryDelayMs(row.attempts);
    const next = new Date(Date.now() + delay);
    const giveUp = next.getTime() > row.giveUpAt.getTime();
    await tx
      .update(webhookDeliveries)
      .set({ status: giveUp ? "failed" : "pending", lastStatusCode: status, lastError: error, nextAttemptAt: next, updatedAt: sql`now()` })
      .where(eq(webhookDeliveries.id, row.id));
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, now())` })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning();
    if (endpoint?.isActive && endpoint.failingSince && Date.now() - endpoint.failingSince.getTime() >= e.WEBHOOK_DISABLE_AFTER_DAYS * 86_400_000) {
      await disableEndpoint(tx, tenantId, endpoint, after);
      return "failed";
    }
    if (!giveUp) after.add("queue webhook retry", () => queueRetry(tenantId, row.id, row.attempts, delay));
    log.info("webhook delivery failed", { delivery_id: row.id, endpoint_id: endpointId, attempts: row.attempts, status, will_retry: !giveUp });
    return giveUp ? "failed" : "retry";
  });
}

async function disableEndpoint(tx: Tx, tenantId: string, endpoint: typeof webhookEndpoints.$inferSelect, after: AfterCommit) {
  const since = endpoint.failingSince!.toISOString();
  const reason = `Every delivery failed since ${since}.`;
  const [disabled] = await tx
    .update(webhookEndpoints)
    .set({ isActive: false, disabledReason: reason, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.isActive, true)))
    .returning({ id: webhookEndpoints.id });
  if (!disabled) return;
  await tx
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "The endpoint was disabled.", updatedAt: sql`now()` })
    .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.status, "pending")));
  await alertAdmins(tx, tenantId, "webhook_disabled", { label: endpoint.url, since }, settingsLink(), after);
  log.warn("webhook endpoint disabled", { endpoint_id: endpoint.id, failing_since: since });
}

/**
 * The worker's safety net: pending deliveries whose next attempt is more than a grace period
 * overdue lost their queue job (Redis flushed, a crash between commit and queueing, a crashed
 * attempt's lease ran out). They are queued again; the claim keeps an attempt from running twice.
 */
export async function sweepDeliveries(limitPerTenant = 500): Promise<number> {
  let queued = 0;
  const stamp = `-s${Math.floor(Date.now() / 60_000)}`;
  for (const tenantId of await tenantsWithDueWebhooks(200)) {
    const due = await withTenant(tenantId, (tx) =>
      tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, sql`now() - interval '30 seconds'`)))
        .limit(limitPerTenant),
    );
    if (due.length === 0) continue;
    await queueDeliveries(tenantId, due.map((d) => d.id), stamp);
    queued += due.length;
  }
  return queued;
}
