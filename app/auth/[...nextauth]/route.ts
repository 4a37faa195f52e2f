import NextAuth from "next-auth";
import { authOptions } from "~/server/edge/session";

// next-auth's endpoints (/auth/csrf, /auth/session, /auth/callback/credentials, /auth/signout …).
const handler = (req: Request, context: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(authOptions())(req as never, context as never) as Promise<Response>;

export { handler as GET, handler as POST };
