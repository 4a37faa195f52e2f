import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createContext } from "~/server/api/trpc";
import { handle } from "~/server/http/route";

// Same request plumbing as REST (request id, one log line); tRPC owns the body and errors.
const handler = (req: Request) =>
  handle(req, undefined, ({ requestId }) =>
    fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => createContext(req, requestId) }),
  );

export { handler as GET, handler as POST };
