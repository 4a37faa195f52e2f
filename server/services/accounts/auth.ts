/**
 * Sign-in, token refresh (rotation with reuse detection) and access-token authentication.
 */
import { randomUUID } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { refreshTokens, users } from "../../db/schema";
import { findUserByEmail } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { recordAudit } from "../audit";
import { AppError, notAuthenticated, tokenNotValid } from "../errors";
import { signToken, verifyToken } from "./jwt";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords";
import { loadPrincipal, selectUserView, type LoadedPrincipal, type Principal, type UserView } from "./principal";

export interface TokenPair {
  access: string;
  refresh: string;
}

const badCredentials = () =>
  new AppError("unauthenticated", "No active account found with the given credentials", {
    code: "no_active_account",
  });
const badRefresh = () => tokenNotValid("Token is invalid or expired");

/** Stores a refresh-token row and signs the pair. Runs inside the caller's tenant transaction. */
async function issuePair(tx: Tx, subject: { userId: string; tenantId: string; tokenVersion: number }, familyId: string): Promise<TokenPair> {
  const { userId, tenantId } = subject;
  const refresh = await signToken("refresh", subject);
  await tx.insert(refreshTokens).values({
    jti: refresh.claims.jti,
    tenantId,
    userId,
    familyId,
    expiresAt: new Date(refresh.claims.exp * 1000),
  });
  const access = await signToken("access", subject);
  return { access: access.token, refresh: refresh.token };
}

export interface LoginResult extends TokenPair {
  user: UserView;
}

/** A verified sign-in: the user, and the token version every credential issued now must carry. */
export interface SignedInUser extends UserView {
  tokenVersion: number;
}

/**
 * Checks an e-mail and password and records the sign-in (last login, audit `login`, and a
 * re-hash of legacy hashes). An unknown e-mail, an inactive user and a wrong password fail the
 * same way after the same amount of hashing work. `issue` runs inside the same transaction, so
 * a token pair is stored together with the audit row that records it.
 */
async function signIn<T>(
  input: { email: string; password: string },
  context: { ip: string | null; via: "token" | "browser" },
  issue: (tx: Tx, user: SignedInUser) => Promise<T>,
): Promise<T> {
  const account = await findUserByEmail(input.email);
  if (!account) {
    await verifyAgainstDummy(input.password);
    throw badCredentials();
  }
  const { ok, needsRehash } = await verifyPassword(input.password, account.passwordHash);
  if (!ok || !account.isActive) throw badCredentials();
  const newHash = needsRehash ? await hashPassword(input.password) : undefined;

  return withTenant(account.tenantId, async (tx) => {
    await tx
      .update(users)
      .set({ lastLoginAt: sql`now()`, ...(newHash ? { passwordHash: newHash } : {}) })
      .where(and(eq(users.id, account.id), eq(users.tenantId, account.tenantId)));
    await recordAudit(tx, {
      tenantId: account.tenantId,
      userId: account.id,
      action: "login",
      resourceType: "user",
      resourceId: account.id,
      metadata: { ip: context.ip, via: context.via },
    });
    const view = await selectUserView(tx, account.tenantId, account.id);
    const { isActive: _a, isSuperuser: _s, ...user } = view!;
    return issue(tx, user);
  });
}

/** REST sign-in: a JWT pair (POST /api/token/, /api/auth/login/). */
export function login(input: { email: string; password: string }, context: { ip: string | null }): Promise<LoginResult> {
  return signIn(input, { ...context, via: "token" }, async (tx, { tokenVersion, ...user }) => ({
    ...(await issuePair(tx, { userId: user.id, tenantId: user.tenant, tokenVersion }, randomUUID())),
    user,
  }));
}

/** Browser sign-in: the caller then starts the session cookie (server/http/session.ts). */
export function verifyCredentials(input: { email: string; password: string }, context: { ip: string | null }): Promise<SignedInUser> {
  return signIn(input, { ...context, via: "browser" }, async (_tx, user) => user);
}

/**
 * Exchanges a refresh token for a new pair. Each refresh token works once; presenting a spent
 * one revokes every token descended from the same login (it was probably stolen).
 */
export async function refresh(token: string): Promise<TokenPair> {
  const claims = await verifyToken(token, "refresh");
  if (!claims) throw badRefresh();
  const outcome = await withTenant(claims.tenant_id, async (tx) => {
    const [spent] = await tx
      .update(refreshTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(refreshTokens.jti, claims.jti),
          eq(refreshTokens.tenantId, claims.tenant_id),
          isNull(refreshTokens.usedAt),
          isNull(refreshTokens.revokedAt),
          gt(refreshTokens.expiresAt, sql`now()`),
        ),
      )
      .returning({ familyId: refreshTokens.familyId, userId: refreshTokens.userId });
    if (!spent) {
      // Reuse of a spent token: revoke its whole family (committed, then answer 401).
      const [row] = await tx
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(eq(refreshTokens.jti, claims.jti));
      if (row)
        await tx
          .update(refreshTokens)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
      return null;
    }
    const [user] = await tx
      .select({ isActive: users.isActive, tokenVersion: users.tokenVersion })
      .from(users)
      .where(and(eq(users.id, spent.userId), eq(users.tenantId, claims.tenant_id)));
    // Issued before the last password change or sign-out: that ended it too.
    if (!user?.isActive || user.tokenVersion !== claims.ver) return null;
    return issuePair(tx, { userId: spent.userId, tenantId: claims.tenant_id, tokenVersion: user.tokenVersion }, spent.familyId);
  });
  if (!outcome) throw badRefresh();
  return outcome;
}

/**
 * Ends every credential a user holds (password change, reset, sign-out; api.md §0.17): the token
 * version moves on, so every access token and browser session issued before is refused from the
 * next request, and every live refresh token is revoked. In the caller's transaction.
 */
export async function endAllSessions(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)));
  await tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.tenantId, tenantId), isNull(refreshTokens.revokedAt)));
}

/** Sign-out (browser): ends every session and token of the user, everywhere, and audits it. */
export function signOutEverywhere(tenantId: string, userId: string, context: { ip: string | null }): Promise<void> {
  return withTenant(tenantId, async (tx) => {
    await endAllSessions(tx, tenantId, userId);
    await recordAudit(tx, { tenantId, userId, action: "logout", resourceType: "user", resourceId: userId, metadata: { ip: context.ip } });
  });
}

/** The principal behind a verified credential, or null when the user is gone, inactive, or the credential is older than the user's token version. */
export async function principalForCredential(tenantId: string, userId: string, version: number): Promise<LoadedPrincipal | null> {
  const principal = await loadPrincipal(tenantId, userId);
  return principal && principal.tokenVersion === version ? principal : null;
}

/** The Principal behind an `Authorization` header value, or a 401 in the spec's shape. */
export async function authenticateBearer(header: string | null): Promise<Principal> {
  if (!header) throw notAuthenticated();
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== "bearer" || !token || rest.length > 0) {
    // DRF answers a malformed header as "not provided" when the scheme is foreign.
    if (scheme?.toLowerCase() !== "bearer") throw notAuthenticated();
    throw tokenNotValid();
  }
  const claims = await verifyToken(token, "access");
  if (!claims) throw tokenNotValid();
  const principal = await loadPrincipal(claims.tenant_id, claims.user_id);
  if (!principal) throw new AppError("unauthenticated", "User not found", { code: "user_not_found" });
  // Issued before the user's last password change or sign-out.
  if (principal.tokenVersion !== claims.ver) throw tokenNotValid();
  return principal;
}
