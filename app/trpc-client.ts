"use client";

/**
 * The browser's typed tRPC client. Components use it through TanStack Query
 * (`useQuery({ queryKey, queryFn: () => trpc.x.y.query() })`) for caching, polling and
 * mutation state; the session cookie authenticates every call.
 */
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";

export const trpc = createTRPCClient<AppRouter>({
  // The server refuses batches of more than 20 calls (server/api/http.ts).
  links: [httpBatchLink({ url: "/api/trpc", maxItems: 20 })],
});

/** A message fit to show a person: the server's safe message, or a generic one. */
export function errorMessage(error: unknown): string {
  // Without `data` the request never got an answer from our server (offline, refused, aborted).
  if (error instanceof TRPCClientError && error.data !== undefined) {
    const fields = (error.data as { fields?: Record<string, string[]> | null } | undefined)?.fields;
    if (fields) return Object.values(fields).flat().join(" ");
    if (error.data?.code === "UNAUTHORIZED") return "Your session has ended. Please sign in again.";
    if (error.data?.code === "INTERNAL_SERVER_ERROR") return "Something went wrong on our side. Please try again.";
    return error.message;
  }
  return "Could not reach the server. Check your connection and try again.";
}
