/**
 * Who is calling, for both transports: a Bearer access token when the request carries an
 * `Authorization` header (tools, tests), otherwise the browser's session cookie (tRPC from the
 * pages). REST accepts only the Bearer token (the contract's authentication); tRPC accepts both.
 */
import "server-only";
import { authenticateBearer } from "../services/accounts/auth";
import type { Principal } from "../services/accounts/principal";
import { notAuthenticated } from "../services/errors";
import { principalForSession, sessionCookieValue } from "./session";

export interface CredentialHeaders {
  get(name: string): string | null;
}

/** REST: the Bearer token, or the spec's 401. */
export const principalFromBearer = (headers: CredentialHeaders): Promise<Principal> => authenticateBearer(headers.get("authorization"));

/** tRPC: a Bearer token when one is sent, else the session cookie; 401 without either. */
export async function principalFromBearerOrSession(headers: CredentialHeaders): Promise<Principal> {
  if (headers.get("authorization")) return principalFromBearer(headers);
  const principal = await principalForSession(sessionCookieValue(headers.get("cookie")));
  if (!principal) throw notAuthenticated();
  return principal;
}
