"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } } }),
  );
  // No next-auth SessionProvider: no component reads the session on the client (pages get the
  // principal on the server), so it would only cost a /auth/session request per page load.
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
