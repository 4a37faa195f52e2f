"use client";

import { SessionProvider } from "next-auth/react";
import type { ReactNode } from "react";

// next-auth lives on /auth/* (the REST contract owns /api/auth/*); the client must be told.
export function Providers({ children }: { children: ReactNode }) {
  return <SessionProvider basePath="/auth">{children}</SessionProvider>;
}
