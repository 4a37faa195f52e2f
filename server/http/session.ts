/**
 * Browser sessions: next-auth's (v4) encrypted JWT cookie, mounted on SESSION_BASE_PATH (`/auth/*`)
 * because `/api/auth/*` belongs to the REST contract.
 *
 * Signing in happens in a server action (app/session-actions.ts), not through next-auth's
 * credentials endpoint: the form then works without JavaScript (it never falls back to a GET that
 * would put the password in the URL), it is throttled like the REST login, and there is one sign-in
 * door instead of two. The action issues the cookie with next-auth's own `encode`, under the cookie
 * name and options configured here for next-auth too, so next-auth's endpoints (`/auth/session`,
 * `/auth/signout`) read the same session.
 *
 * The cookie holds the user and tenant ids and the user's token version (`ver`). Every request loads
 * the principal from the database in one query (roles and deactivation apply at once) and refuses a
 * session older than the user's last password change or sign-out (api.md §0.17).
 */
import type { AuthOptions } from "next-auth";
import { decode, encode, type JWT } from "next-auth/jwt";
import { env } from "../env";
import { principalForCredential, signOutEverywhere, type SignedInUser } from "../services/accounts/auth";
import type { Principal } from "../services/accounts/principal";

export const SESSION_BASE_PATH = "/auth";
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

function sessionSecret(): string {
  const e = env();
  return e.NEXTAUTH_SECRET ?? e.signingKey;
}

/**
 * next-auth v4 reads its own base URL *including the base path* only from
 * process.env.NEXTAUTH_URL, so it is filled in here from our validated settings when unset.
 */
function sessionUrl(): string {
  const e = env();
  process.env.NEXTAUTH_URL ??= e.NEXTAUTH_URL ?? `${e.FRONTEND_BASE_URL}${SESSION_BASE_PATH}`;
  return process.env.NEXTAUTH_URL;
}

export interface SessionCookie {
  name: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean };
}

/** Over https the cookie is `Secure` and `__Secure-` prefixed (as next-auth would name it). */
export function sessionCookie(): SessionCookie {
  const secure = sessionUrl().startsWith("https://");
  return { name: `${secure ? "__Secure-" : ""}adinsights.session`, options: { httpOnly: true, sameSite: "lax", path: "/", secure } };
}

interface SessionClaims extends JWT {
  uid: string;
  tid: string;
  ver: number;
}

let options: AuthOptions | undefined;

export function authOptions(): AuthOptions {
  sessionUrl();
  options ??= {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    cookies: { sessionToken: sessionCookie() },
    pages: { signIn: "/login", error: "/login", signOut: "/login" },
    // Sign-in is the server action (see above); next-auth keeps the session endpoints.
    providers: [],
    callbacks: {
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid, tenantId: token.tid } };
      },
    },
    events: {
      // next-auth's own sign-out endpoint ends the sessions on the server too, like the sign-out form.
      async signOut({ token }) {
        const claims = sessionClaims(token);
        if (claims) await signOutEverywhere(claims.tid, claims.uid, { ip: null });
      },
    },
  };
  return options;
}

function sessionClaims(token: JWT | null): SessionClaims | null {
  if (!token || typeof token.uid !== "string" || typeof token.tid !== "string") return null;
  const ver = token.ver ?? 0;
  return typeof ver === "number" && Number.isSafeInteger(ver) ? { ...token, uid: token.uid, tid: token.tid, ver } : null;
}

/** The session cookie's value for a user who just signed in. */
export async function issueSession(user: SignedInUser): Promise<string> {
  const token: SessionClaims = { sub: user.id, uid: user.id, tid: user.tenant, ver: user.tokenVersion };
  return encode({ token, secret: sessionSecret(), maxAge: SESSION_MAX_AGE_SECONDS });
}

/** The session's claims from a cookie value, or null (missing, tampered, expired). */
export async function readSession(value: string | undefined): Promise<SessionClaims | null> {
  if (!value) return null;
  return sessionClaims(await decode({ token: value, secret: sessionSecret() }).catch(() => null));
}

/** The session cookie's value in a `Cookie` request header. */
export function sessionCookieValue(cookieHeader: string | null): string | undefined {
  if (!cookieHeader) return undefined;
  const wanted = `${sessionCookie().name}=`;
  for (const part of cookieHeader.split(";")) {
    const trimmed = part.trim();
    if (trimmed.startsWith(wanted)) return decodeURIComponent(trimmed.slice(wanted.length));
  }
  return undefined;
}

/** The live principal behind a session cookie value, or null (no session, ended, or user gone). */
export async function principalForSession(value: string | undefined): Promise<Principal | null> {
  const claims = await readSession(value);
  return claims ? principalForCredential(claims.tid, claims.uid, claims.ver) : null;
}

/** The principal behind a request's session cookie (tRPC from the browser), or null. */
export function principalFromSession(req: Request): Promise<Principal | null> {
  return principalForSession(sessionCookieValue(req.headers.get("cookie")));
}

/** The signed-in principal for a server component or server action, or null. */
export async function principalForPage(): Promise<Principal | null> {
  const { cookies } = await import("next/headers");
  return principalForSession((await cookies()).get(sessionCookie().name)?.value);
}
