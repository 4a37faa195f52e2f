/**
 * Browser sessions: next-auth (v4) with a credentials provider over the users table, mounted on
 * SESSION_BASE_PATH (`/auth/*`) because `/api/auth/*` belongs to the REST contract.
 *
 * next-auth v4 reads its own base URL *including the base path* only from
 * process.env.NEXTAUTH_URL, so it is filled in here from our validated settings when unset.
 * The session is next-auth's encrypted JWT cookie holding the user and tenant ids; every request
 * still loads the principal from the database (roles and deactivation apply at once).
 */
import type { AuthOptions } from "next-auth";
import { getToken } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { verifyCredentials } from "../services/accounts/auth";
import { loadPrincipal, type Principal } from "../services/accounts/principal";
import { credentialsInput } from "../services/accounts/schemas";
import { AppError } from "../services/errors";
import { clientIp } from "./client-ip";

export const SESSION_BASE_PATH = "/auth";
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

function sessionSecret(): string {
  const e = env();
  return e.NEXTAUTH_SECRET ?? e.signingKey;
}

function ensureNextAuthUrl(): void {
  const e = env();
  process.env.NEXTAUTH_URL ??= e.NEXTAUTH_URL ?? `${e.FRONTEND_BASE_URL}${SESSION_BASE_PATH}`;
}

let options: AuthOptions | undefined;

export function authOptions(): AuthOptions {
  ensureNextAuthUrl();
  options ??= {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "E-mail and password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = credentialsInput.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          try {
            const user = await verifyCredentials(parsed.data, { ip: clientIp(new Headers(req.headers as Record<string, string>)) });
            return { id: user.id, email: user.email, name: [user.first_name, user.last_name].join(" ").trim(), tenantId: user.tenant };
          } catch (error) {
            if (error instanceof AppError && error.kind === "unauthenticated") return null;
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.tid = (user as { tenantId?: string }).tenantId;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid, tenantId: token.tid } };
      },
    },
  };
  return options;
}

/** The principal behind a browser session cookie, or null when there is no valid session. */
export async function principalFromSession(req: Request): Promise<Principal | null> {
  ensureNextAuthUrl();
  const token = await getToken({ req: req as never, secret: sessionSecret() });
  const uid = typeof token?.uid === "string" ? token.uid : undefined;
  const tid = typeof token?.tid === "string" ? token.tid : undefined;
  if (!uid || !tid) return null;
  return loadPrincipal(tid, uid);
}

/** The signed-in principal for a server component (reads the session cookie), or null. */
export async function principalForPage(): Promise<Principal | null> {
  const { getServerSession } = await import("next-auth");
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: unknown; tenantId?: unknown } | undefined;
  if (typeof user?.id !== "string" || typeof user.tenantId !== "string") return null;
  return loadPrincipal(user.tenantId, user.id);
}
