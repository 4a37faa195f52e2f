/**
 * HS256 JWTs in the shape the old backend (djangorestframework-simplejwt) issued:
 * claims `token_type`, `user_id`, `tenant_id`, `jti`, `exp`, `iat`.
 */
import { createSecretKey, randomUUID, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { env } from "../../env";

export const ACCESS_TTL_SECONDS = 30 * 60;
export const REFRESH_TTL_SECONDS = 24 * 60 * 60;

export type TokenType = "access" | "refresh";

export interface TokenClaims {
  token_type: TokenType;
  user_id: string;
  tenant_id: string;
  jti: string;
  exp: number;
  iat: number;
  /**
   * The user's token version when the token was issued (users.token_version). A password change
   * or a sign-out bumps the version, which ends every older token. Tokens without it (issued by
   * the old backend) count as version 0.
   */
  ver: number;
}

// jsonwebtoken signs with node:crypto synchronously; given a KeyObject (not a string, which it
// re-imports on every call) a verification costs ~10 µs, an order of magnitude below WebCrypto.
let cachedKey: { source: string; key: KeyObject } | undefined;
function signingKey(): KeyObject {
  const source = env().signingKey;
  if (cachedKey?.source !== source) cachedKey = { source, key: createSecretKey(Buffer.from(source, "utf8")) };
  return cachedKey.key;
}

export async function signToken(
  type: TokenType,
  subject: { userId: string; tenantId: string; tokenVersion: number },
  jti: string = randomUUID(),
  now: number = Math.floor(Date.now() / 1000),
): Promise<{ token: string; claims: TokenClaims }> {
  const claims: TokenClaims = {
    token_type: type,
    user_id: subject.userId,
    tenant_id: subject.tenantId,
    jti,
    iat: now,
    exp: now + (type === "access" ? ACCESS_TTL_SECONDS : REFRESH_TTL_SECONDS),
    ver: subject.tokenVersion,
  };
  const token = jwt.sign({ ...claims }, signingKey(), { algorithm: "HS256" });
  return { token, claims };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The verified claims of a token of the expected type, or null (bad signature, expired, wrong type). */
export async function verifyToken(token: string, expected: TokenType): Promise<TokenClaims | null> {
  try {
    const payload = jwt.verify(token, signingKey(), { algorithms: ["HS256"] });
    if (typeof payload !== "object") return null;
    const { token_type, user_id, tenant_id, jti, ver = 0 } = payload as Partial<TokenClaims>;
    if (token_type !== expected) return null;
    if (typeof user_id !== "string" || !UUID.test(user_id)) return null;
    if (typeof tenant_id !== "string" || !UUID.test(tenant_id)) return null;
    if (typeof jti !== "string" || !UUID.test(jti)) return null;
    if (!Number.isSafeInteger(ver) || ver < 0) return null;
    return { ...(payload as unknown as TokenClaims), ver };
  } catch {
    return null;
  }
}
