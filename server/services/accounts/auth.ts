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
import { loadPrincipal, selectUserView, type Principal, type UserView } from "./principal";

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
async function issuePair(tx: Tx, userId: string, tenantId: string, familyId: string): Promise<TokenPair> {
  const refresh = await signToken("refresh", { userId, tenantId });
  await tx.insert(refreshTokens).values({
    jti: refresh.claims.jti,
    tenantId,
    userId,
    familyId,
    expiresAt: new Date(refresh.claims.exp * 1000),
  });
  const access = await signToken("access", { userId, tenantId });
  return { access: access.token, refresh: refresh.token };
}

export interface LoginResult extends TokenPair {
  user: UserView;
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
  issue: (tx: Tx, user: UserView) => Promise<T>,
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
  return signIn(input, { ...context, via: "token" }, async (tx, user) => ({
    ...(await issuePair(tx, user.id, user.tenant, randomUUID())),
    user,
  }));
}

/** Browser sign-in (next-auth credentials): the session cookie is issued by next-auth. */
export function verifyCredentials(input: { email: string; password: string }, context: { ip: string | null }): Promise<UserView> {
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
      .select({ isActive: users.isActive })
      .from(users)
      .where(and(eq(users.id, spent.userId), eq(users.tenantId, claims.tenant_id)));
    if (!user?.isActive) return null;
    return issuePair(tx, spent.userId, claims.tenant_id, spent.familyId);
  });
  if (!outcome) throw badRefresh();
  return outcome;
}

/** Revokes every live refresh token of a user (password change or reset). */
export async function revokeRefreshTokens(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.tenantId, tenantId), isNull(refreshTokens.revokedAt)));
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
  return principal;
}
