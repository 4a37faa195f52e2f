/**
 * Password reset by e-mail. The request answers the same way whether or not the address has an
 * account (no enumeration); the token is hashed, single-use and short-lived; confirming it sets
 * the password (sign-up rules) and ends every token and session the user holds.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { passwordResets, users } from "../../db/schema";
import { findPasswordResetByTokenHash, findUserByEmail } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import { runInBackground } from "../../infra/background";
import { recordAudit } from "../audit";
import { fieldError } from "../errors";
import { endAllSessions } from "../accounts/auth";
import { checkedPasswordHash } from "../accounts/users";
import { cancelPendingEmails, deliverNow, enqueueEmail } from "../email/outbox";
import type { PasswordResetConfirmInput } from "./schemas";
import { hashToken, newToken } from "./tokens";

export const RESET_TOKEN_INVALID = "Invalid or expired password reset token.";

/**
 * POST /api/auth/password-reset/. Answers before any work that depends on the address: the
 * account lookup, the token and the e-mail run after the answer, so an existing and an unknown
 * address take the same time to answer (only real accounts need the transaction and the mail, which
 * made them ~7 ms slower when this ran first).
 */
export function requestPasswordReset(input: { email: string }, context: { ip: string | null }): void {
  runInBackground("password_reset_request", () => issuePasswordReset(input, context));
}

/**
 * For an active account: a new token (older unused ones stop working), the e-mail queued in the
 * outbox and the request audited, in one transaction; the mail is then sent at once.
 */
async function issuePasswordReset(input: { email: string }, context: { ip: string | null }): Promise<void> {
  const account = await findUserByEmail(input.email);
  if (!account || !account.isActive) return;
  const token = newToken();
  const ttlMinutes = env().PASSWORD_RESET_TTL_MINUTES;
  const expiresAt = new Date(Date.now() + ttlMinutes * 60_000);
  const outboxId = await withTenant(account.tenantId, async (tx) => {
    await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.userId, account.id), isNull(passwordResets.usedAt)));
    const [reset] = await tx
      .insert(passwordResets)
      .values({ tenantId: account.tenantId, userId: account.id, tokenHash: hashToken(token), expiresAt })
      .returning({ id: passwordResets.id });
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, account.id));
    await cancelPendingEmails(tx, "password_reset", user!.email);
    const id = await enqueueEmail(tx, {
      tenantId: account.tenantId,
      template: "password_reset",
      recipient: user!.email,
      params: { ttl_minutes: String(ttlMinutes) },
      link: `${env().FRONTEND_BASE_URL}/reset-password?token=${encodeURIComponent(token)}`,
      expiresAt,
    });
    await recordAudit(tx, {
      tenantId: account.tenantId,
      userId: account.id,
      action: "password_reset_requested",
      resourceType: "password_reset",
      resourceId: reset!.id,
      metadata: { ip: context.ip },
    });
    return id;
  });
  await deliverNow(account.tenantId, [outboxId]);
}

const invalid = () => fieldError("token", RESET_TOKEN_INVALID);

/**
 * POST /api/auth/password-reset/confirm/. The token is consumed by a single conditional UPDATE
 * in the same transaction that changes the password, so it works exactly once.
 */
export async function confirmPasswordReset(input: PasswordResetConfirmInput): Promise<void> {
  const tokenHash = hashToken(input.token);
  const found = await findPasswordResetByTokenHash(tokenHash);
  if (!found) throw invalid();
  const live = and(eq(passwordResets.id, found.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`));
  // Check the token and the password rules (which need the e-mail) before the slow hash.
  const [target] = await withTenant(found.tenantId, (tx) =>
    tx
      .select({ userId: users.id, email: users.email, isActive: users.isActive })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(live),
  );
  if (!target || !target.isActive) throw invalid();
  const passwordHash = await checkedPasswordHash(input.password, target.email);
  await withTenant(found.tenantId, async (tx) => {
    const [consumed] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(live)
      .returning({ id: passwordResets.id, userId: passwordResets.userId });
    if (!consumed) throw invalid();
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(users.id, consumed.userId), eq(users.tenantId, found.tenantId)));
    // Every access token, refresh token and browser session issued before ends here (api.md §0.17).
    await endAllSessions(tx, found.tenantId, consumed.userId);
    await recordAudit(tx, {
      tenantId: found.tenantId,
      userId: consumed.userId,
      action: "password_reset_completed",
      resourceType: "password_reset",
      resourceId: consumed.id,
    });
  });
}
