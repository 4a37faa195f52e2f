/**
 * The decisions about an invitation, without I/O: invites.ts loads the rows and calls these, so
 * preview, accept (before and under the row lock), resend and create all judge alike.
 *
 * An invitation is pending until it is accepted (accepted_at set) or its expiry passes; a revoked
 * invitation is deleted, so its token finds nothing and reads as invalid, like a wrong one.
 */
import { notFound } from "../errors";
import { requireRole, type Principal } from "../accounts/principal";

export const INVITE_NOT_FOUND = "Invitation not found.";
export const INVITE_ACCEPTED = "Invitation has already been accepted.";
export const INVITE_EXPIRED = "Invitation has expired.";
export const INVITE_TOKEN_INVALID = "Invalid invitation token.";

export interface InviteTiming {
  acceptedAt: Date | null;
  expiresAt: Date;
}

export type InviteState = "pending" | "accepted" | "expired";

/**
 * Accepted wins over expired (an invite accepted in time stays "accepted" after its expiry), and
 * the expiry instant itself is already expired, as `expires_at <= now()` in the pending list.
 */
export function inviteState(invite: InviteTiming, now: Date): InviteState {
  if (invite.acceptedAt) return "accepted";
  if (invite.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

/**
 * Why a token cannot be previewed or accepted (the `token` field error), or null when it can:
 * no row (wrong, revoked, or replaced by a resend) is invalid; then accepted; then expired.
 */
export function inviteTokenProblem(invite: InviteTiming | null | undefined, now: Date): string | null {
  if (!invite) return INVITE_TOKEN_INVALID;
  const state = inviteState(invite, now);
  if (state === "accepted") return INVITE_ACCEPTED;
  if (state === "expired") return INVITE_EXPIRED;
  return null;
}

/**
 * Why an invitation cannot be resent (the `invitation_id` field error), or null. An expired
 * invitation can: resending is how an admin renews it.
 */
export function resendProblem(invite: Pick<InviteTiming, "acceptedAt"> | null | undefined): string | null {
  if (!invite) return INVITE_NOT_FOUND;
  if (invite.acceptedAt) return INVITE_ACCEPTED;
  return null;
}

/**
 * Invites are per tenant and ADMIN-only. Another tenant's id is answered as unknown (404) before
 * the role is checked, so a non-admin cannot probe which tenant ids exist.
 */
export function assertCanInvite(principal: Principal, tenantId: string): void {
  if (tenantId !== principal.tenantId) throw notFound();
  requireRole(principal, "ADMIN");
}
