/**
 * Invitations: an ADMIN invites an address into their tenant with a role; the invitee accepts
 * with the token from the e-mail and becomes a user of that tenant with that role.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { invitations, tenants, userRoles, users, type RoleName } from "../../db/schema";
import { isUniqueViolation } from "../../db/errors";
import { findInvitationByTokenHash, findUserByEmail } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import { recordAudit } from "../audit";
import { fieldError, notFound } from "../errors";
import { fromWindowed, offsetOf, type Page, type PageRequest } from "../pagination";
import { requireRole, selectUserView, type Principal, type UserView } from "../accounts/principal";
import { checkedPasswordHash, EMAIL_TAKEN, newUserValues } from "../accounts/users";
import { cancelPendingEmails, deliverNow, enqueueEmail } from "../email/outbox";
import type { AcceptInviteInput, InviteInput } from "./schemas";
import { assertCanInvite, INVITE_NOT_FOUND, INVITE_TOKEN_INVALID, inviteTokenProblem, resendProblem, type InviteTiming } from "./invite-rules";
import { hashToken, newToken } from "./tokens";

export { INVITE_ACCEPTED, INVITE_EXPIRED, INVITE_NOT_FOUND, INVITE_TOKEN_INVALID } from "./invite-rules";

export interface InvitationView {
  id: string;
  email: string;
  role: RoleName;
  /** The raw token: in this answer and the e-mail only; the database keeps its hash. */
  token: string;
  expires_at: Date;
  accepted_at: null;
}

const inviteLink = (token: string) => `${env().FRONTEND_BASE_URL}/accept-invite?token=${encodeURIComponent(token)}`;

/** Writes the invite e-mail to the outbox (replacing any unsent one) in the caller's transaction. */
async function queueInviteEmail(tx: Tx, tenantId: string, invite: { email: string; role: string; expiresAt: Date }, token: string) {
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  await cancelPendingEmails(tx, "invite", invite.email);
  return enqueueEmail(tx, {
    tenantId,
    template: "invite",
    recipient: invite.email,
    params: { tenant_name: tenant?.name ?? "", role: invite.role, expires_at: invite.expiresAt.toISOString() },
    link: inviteLink(token),
    expiresAt: invite.expiresAt,
  });
}

const newExpiry = () => new Date(Date.now() + env().INVITE_TTL_HOURS * 3_600_000);

type InviteRow = { id: string; email: string; role: string; expires_at: Date };

/**
 * Gives an invitation a fresh token: `write` stores its hash (insert or update) in the tenant's
 * transaction, which also queues the e-mail and the audit row; delivery is tried after commit.
 */
async function issueInvite(
  principal: Principal,
  tenantId: string,
  action: "invite_created" | "invite_resent",
  write: (tx: Tx, tokenHash: string, expiresAt: Date) => Promise<InviteRow>,
): Promise<InvitationView> {
  const token = newToken();
  const expiresAt = newExpiry();
  const { row, outboxId } = await withTenant(tenantId, async (tx) => {
    const row = await write(tx, hashToken(token), expiresAt);
    const outboxId = await queueInviteEmail(tx, tenantId, { email: row.email, role: row.role, expiresAt }, token);
    await recordAudit(tx, {
      tenantId,
      userId: principal.userId,
      action,
      resourceType: "invitation",
      resourceId: row.id,
      metadata: { email: row.email, role: row.role },
    });
    return { row, outboxId };
  });
  await deliverNow(tenantId, [outboxId]);
  return { ...row, role: row.role as RoleName, token, accepted_at: null };
}

const inviteColumns = { id: invitations.id, email: invitations.email, role: invitations.role, expires_at: invitations.expiresAt };

/**
 * POST /api/tenants/{id}/invite/ and /api/users/invite/. A pending invite to the same address in
 * the same tenant is replaced in place (one upsert, so concurrent re-invites cannot duplicate).
 */
export async function createInvite(principal: Principal, tenantId: string, input: InviteInput): Promise<InvitationView> {
  assertCanInvite(principal, tenantId);
  if (await findUserByEmail(input.email)) throw fieldError("email", EMAIL_TAKEN);
  return issueInvite(principal, tenantId, "invite_created", async (tx, tokenHash, expiresAt) => {
    const [row] = await tx
      .insert(invitations)
      .values({ tenantId, email: input.email, role: input.role, tokenHash, invitedBy: principal.userId, expiresAt })
      .onConflictDoUpdate({
        target: [invitations.tenantId, invitations.email],
        targetWhere: sql`${invitations.acceptedAt} is null`,
        set: { role: input.role, tokenHash, invitedBy: principal.userId, expiresAt, createdAt: sql`now()`, updatedAt: sql`now()` },
      })
      .returning(inviteColumns);
    return row!;
  });
}

/** POST .../invite/resend/: a fresh token and expiry; the old token stops working. */
export async function resendInvite(principal: Principal, tenantId: string, invitationId: string): Promise<InvitationView> {
  assertCanInvite(principal, tenantId);
  return issueInvite(principal, tenantId, "invite_resent", async (tx, tokenHash, expiresAt) => {
    const [current] = await tx
      .select({ acceptedAt: invitations.acceptedAt })
      .from(invitations)
      .where(eq(invitations.id, invitationId))
      .for("update");
    const problem = resendProblem(current);
    if (problem) throw fieldError("invitation_id", problem);
    const [row] = await tx
      .update(invitations)
      .set({ tokenHash, expiresAt, updatedAt: sql`now()` })
      .where(eq(invitations.id, invitationId))
      .returning(inviteColumns);
    return row!;
  });
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: string;
  expires_at: Date;
  created_at: Date;
  invited_by: string | null;
  expired: boolean;
}

/** Pending (not accepted) invitations of the caller's tenant, newest first; one statement. */
export async function listPendingInvites(principal: Principal, page: PageRequest): Promise<Page<PendingInvitation>> {
  requireRole(principal, "ADMIN");
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        expires_at: invitations.expiresAt,
        created_at: invitations.createdAt,
        invited_by: invitations.invitedBy,
        expired: sql<boolean>`${invitations.expiresAt} <= now()`,
        total: sql<number>`count(*) over ()`,
      })
      .from(invitations)
      .where(isNull(invitations.acceptedAt))
      .orderBy(desc(invitations.createdAt), desc(invitations.id))
      .limit(page.pageSize)
      .offset(offsetOf(page)),
  );
  return fromWindowed(page, rows);
}

/** Withdraws a pending invitation (tRPC only; not in the REST contract). Its token stops working. */
export async function revokeInvite(principal: Principal, invitationId: string): Promise<void> {
  requireRole(principal, "ADMIN");
  await withTenant(principal.tenantId, async (tx) => {
    const [row] = await tx
      .delete(invitations)
      .where(and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id, email: invitations.email });
    if (!row) throw notFound(INVITE_NOT_FOUND);
    await cancelPendingEmails(tx, "invite", row.email);
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "invite_revoked",
      resourceType: "invitation",
      resourceId: row.id,
      metadata: { email: row.email },
    });
  });
}

const tokenError = (message: string) => fieldError("token", message);

/** Throws the token's field error unless the invitation is pending (invite-rules.ts). */
function assertUsableToken<T extends InviteTiming>(invite: T | null | undefined): asserts invite is T {
  const problem = inviteTokenProblem(invite, new Date());
  if (problem) throw tokenError(problem);
}

export interface InvitePreview {
  email: string;
  tenant_name: string;
  role: RoleName;
  expires_at: Date;
}

/**
 * What the accept page shows before the invitee chooses a password. Only the holder of a live
 * token learns anything (the address it was sent to and the inviting agency); a wrong, used or
 * expired token gets the same field errors as the accept itself.
 */
export async function previewInvite(token: string): Promise<InvitePreview> {
  const found = await findInvitationByTokenHash(hashToken(token));
  assertUsableToken(found);
  return withTenant(found.tenantId, async (tx) => {
    const [row] = await tx
      .select({ email: invitations.email, role: invitations.role, expires_at: invitations.expiresAt, tenant_name: tenants.name })
      .from(invitations)
      .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
      .where(and(eq(invitations.id, found.id), isNull(invitations.acceptedAt)));
    if (!row) throw tokenError(INVITE_TOKEN_INVALID);
    return { ...row, role: row.role as RoleName };
  });
}

/**
 * POST /api/users/accept-invite/: creates the user with the invited role in the inviting tenant
 * and marks the invite accepted, in one transaction. The invitation row is locked first, so of
 * two concurrent accepts one creates the user and the other sees "already accepted".
 */
export async function acceptInvite(input: AcceptInviteInput): Promise<UserView> {
  const tokenHash = hashToken(input.token);
  const found = await findInvitationByTokenHash(tokenHash);
  assertUsableToken(found);
  // Hashing is deliberately slow: do it before taking the lock.
  const passwordHash = await checkedPasswordHash(input.password, found.email);
  try {
    return await withTenant(found.tenantId, async (tx) => {
      const [invite] = await tx
        .select()
        .from(invitations)
        .where(and(eq(invitations.id, found.id), eq(invitations.tokenHash, tokenHash)))
        .for("update");
      // Judged again under the lock: a concurrent accept may have won since the lookup.
      assertUsableToken(invite);
      const [user] = await tx
        .insert(users)
        .values(newUserValues(invite.tenantId, invite.email, passwordHash, input))
        .returning({ id: users.id });
      await tx.insert(userRoles).values({ tenantId: invite.tenantId, userId: user!.id, role: invite.role });
      await tx
        .update(invitations)
        .set({ acceptedAt: sql`now()`, acceptedUserId: user!.id, updatedAt: sql`now()` })
        .where(eq(invitations.id, invite.id));
      await recordAudit(tx, {
        tenantId: invite.tenantId,
        userId: user!.id,
        action: "invite_accepted",
        resourceType: "invitation",
        resourceId: invite.id,
        metadata: { email: invite.email, role: invite.role },
      });
      const view = await selectUserView(tx, invite.tenantId, user!.id);
      const { isActive: _a, isSuperuser: _s, tokenVersion: _v, ...out } = view!;
      return out;
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw fieldError("email", EMAIL_TAKEN);
    throw error;
  }
}
