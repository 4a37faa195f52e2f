/**
 * The complete list of operations that read across tenants. Each runs under one of the narrow
 * lookup policies in server/db/rls.ts (never a bypass) and says why it cannot run in a tenant
 * context. Anything else must go through withTenant().
 */
import { and, asc, count, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import { airbyteConnections, emailOutbox, invitations, oauthStates, passwordResets, syncJobs, tenants, users, webhookDeliveries } from "./schema";
import { withLookupScope } from "./tenant";

/**
 * Login, token-pair issue and the default-admin bootstrap: the caller knows an e-mail, not a
 * tenant. The policy reveals only the row whose e-mail equals the lookup key.
 */
export function findUserByEmail(email: string) {
  const key = email.trim().toLowerCase();
  return withLookupScope({ "app.lookup_email": key }, async (tx) => {
    const [row] = await tx
      .select({
        id: users.id,
        tenantId: users.tenantId,
        passwordHash: users.passwordHash,
        isActive: users.isActive,
      })
      .from(users)
      .where(eq(users.email, key))
      .limit(1);
    return row ?? null;
  });
}

/** GET /api/tenants/ for platform superusers (spec: "platform superusers see all"). */
export function listAllTenants(limit: number, offset: number) {
  return withLookupScope({ "app.platform_scope": "on" }, async (tx) => {
    const [rows, [total]] = await Promise.all([
      tx
        .select({ id: tenants.id, name: tenants.name, created_at: tenants.createdAt })
        .from(tenants)
        .orderBy(asc(tenants.createdAt), asc(tenants.id))
        .limit(limit)
        .offset(offset),
      tx.select({ n: count() }).from(tenants),
    ]);
    return { count: total?.n ?? 0, rows };
  });
}

/** Worker sweeps (rotation, token upkeep, scheduled syncs) visit every tenant in turn. */
export function listTenantIds(): Promise<string[]> {
  return withLookupScope({ "app.platform_scope": "on" }, async (tx) =>
    (await tx.select({ id: tenants.id }).from(tenants).orderBy(asc(tenants.createdAt))).map((r) => r.id),
  );
}

/**
 * POST /api/users/accept-invite/: the caller holds only the raw token. The policy reveals the one
 * invitation whose token hash equals the key; the accept itself then runs in that tenant.
 */
export function findInvitationByTokenHash(tokenHash: string) {
  return withLookupScope({ "app.lookup_token_hash": tokenHash }, async (tx) => {
    const [row] = await tx
      .select({
        id: invitations.id,
        tenantId: invitations.tenantId,
        email: invitations.email,
        acceptedAt: invitations.acceptedAt,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .where(eq(invitations.tokenHash, tokenHash))
      .limit(1);
    return row ?? null;
  });
}

/** POST /api/auth/password-reset/confirm/: same reasoning, for reset tokens. */
export function findPasswordResetByTokenHash(tokenHash: string) {
  return withLookupScope({ "app.lookup_token_hash": tokenHash }, async (tx) => {
    const [row] = await tx
      .select({ id: passwordResets.id, tenantId: passwordResets.tenantId })
      .from(passwordResets)
      .where(eq(passwordResets.tokenHash, tokenHash))
      .limit(1);
    return row ?? null;
  });
}

/** The e-mail sender (worker) learns which tenants have mail due, then sends in each tenant. */
export function tenantsWithDueEmail(limit: number): Promise<string[]> {
  return withLookupScope({ "app.platform_scope": "on" }, async (tx) =>
    (
      await tx
        .selectDistinct({ tenantId: emailOutbox.tenantId })
        .from(emailOutbox)
        .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, sql`now()`)))
        .limit(limit)
    ).map((r) => r.tenantId),
  );
}

/**
 * The webhook sweep (worker) learns which tenants have deliveries whose queue job was lost, then
 * re-queues them in each tenant.
 */
export function tenantsWithDueWebhooks(limit: number): Promise<string[]> {
  return withLookupScope({ "app.platform_scope": "on" }, async (tx) =>
    (
      await tx
        .selectDistinct({ tenantId: webhookDeliveries.tenantId })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, sql`now() - interval '30 seconds'`)))
        .limit(limit)
    ).map((r) => r.tenantId),
  );
}

/**
 * The sync sweep (worker) learns which tenants have connections due (a worker-scheduled run to
 * start, or an Airbyte-scheduled run to record), then works in each tenant.
 */
export function tenantsWithDueSyncs(due: SQL | undefined, limit: number, afterTenantId?: string): Promise<string[]> {
  return withLookupScope({ "app.platform_scope": "on" }, async (tx) =>
    (
      await tx
        .selectDistinct({ tenantId: airbyteConnections.tenantId })
        .from(airbyteConnections)
        .where(and(due, afterTenantId ? gt(airbyteConnections.tenantId, afterTenantId) : undefined))
        .orderBy(asc(airbyteConnections.tenantId))
        .limit(limit)
    ).map((r) => r.tenantId),
  );
}

/** What the sync tracker needs of a sync it follows: the row and its connection's facts. */
const trackedSync = {
  id: syncJobs.id,
  tenantId: syncJobs.tenantId,
  status: syncJobs.status,
  airbyteJobId: syncJobs.airbyteJobId,
  checks: syncJobs.checks,
  connectionRowId: syncJobs.connectionRowId,
  provider: airbyteConnections.provider,
  accountId: airbyteConnections.accountId,
  workspaceId: airbyteConnections.workspaceId,
};

/**
 * The sync tracker (worker) follows every active sync with a few batched Airbyte calls, so it must
 * see them all at once: the queued and running rows whose next look is due, oldest first. It
 * reads only; each change is written inside its tenant.
 */
export function syncsDueForCheck(limit: number) {
  return withLookupScope({ "app.platform_scope": "on" }, (tx) =>
    tx
      .select(trackedSync)
      .from(syncJobs)
      .innerJoin(airbyteConnections, eq(airbyteConnections.id, syncJobs.connectionRowId))
      .where(and(inArray(syncJobs.status, ["queued", "running"]), lte(syncJobs.nextCheckAt, sql`now()`)))
      .orderBy(asc(syncJobs.nextCheckAt))
      .limit(limit),
  );
}

/**
 * When the tracker has listed every unfinished job of some workspaces, the running rows there that
 * it saw running before (checks > 0) and that the listing no longer shows have ended: it reads them
 * all, due or not, to record those ends at once.
 */
export function runningSyncsIn(workspaceIds: string[]) {
  return withLookupScope({ "app.platform_scope": "on" }, (tx) =>
    tx
      .select(trackedSync)
      .from(syncJobs)
      .innerJoin(airbyteConnections, eq(airbyteConnections.id, syncJobs.connectionRowId))
      .where(and(eq(syncJobs.status, "running"), gt(syncJobs.checks, 0), inArray(airbyteConnections.workspaceId, workspaceIds))),
  );
}

/** The sync tracker weighs one listing of every running job against a lookup per due job. */
export function countRunningSyncs(): Promise<number> {
  return withLookupScope({ "app.platform_scope": "on" }, async (tx) => {
    const [row] = await tx.select({ n: count() }).from(syncJobs).where(eq(syncJobs.status, "running"));
    return row?.n ?? 0;
  });
}

/**
 * `npm run isolate-warehouse` (operator CLI): every connection, across tenants, so the ones still
 * writing to the destination's shared schema can be moved into their tenant's namespace. Ids and
 * placement only; each move then runs in its own tenant.
 */
export function listConnectionPlacements() {
  return withLookupScope({ "app.platform_scope": "on" }, (tx) =>
    tx
      .select({
        id: airbyteConnections.id,
        tenantId: airbyteConnections.tenantId,
        provider: airbyteConnections.provider,
        accountId: airbyteConnections.accountId,
        connectionId: airbyteConnections.connectionId,
        namespaceFormat: airbyteConnections.namespaceFormat,
        streamPrefix: airbyteConnections.streamPrefix,
      })
      .from(airbyteConnections)
      .orderBy(asc(airbyteConnections.tenantId), asc(airbyteConnections.id)),
  );
}

/**
 * OAuth callback: the caller holds a state value, and the spec answers a state from another
 * tenant with 403 rather than "invalid", so the row must be found before the tenant is checked.
 * The policy reveals only the row whose hash equals the lookup key.
 */
export function findOAuthStateByHash(stateHash: string) {
  return withLookupScope({ "app.lookup_state_hash": stateHash }, async (tx) => {
    const [row] = await tx.select().from(oauthStates).where(eq(oauthStates.stateHash, stateHash)).limit(1);
    return row ?? null;
  });
}
