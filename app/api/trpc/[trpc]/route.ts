import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createContext, responseMeta } from "~/server/api/trpc";
import { handle, methodNotAllowed } from "~/server/http/route";
import { json } from "~/server/http/respond";

const ALLOW = "GET, POST, OPTIONS";

// Same request plumbing as REST (request id, CORS, one log line); tRPC owns the body and errors.
const handler = (req: Request) =>
  handle(req, undefined, ({ requestId }) =>
    fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => createContext(req, requestId), responseMeta }),
  );

// A CORS preflight is answered by `handle`; a plain OPTIONS lists the methods.
const options = (req: Request) => handle(req, undefined, async () => json({}, 200, { allow: ALLOW }));
// Other methods get the JSON 405 every API path gives (not Next's bare one).
const other = (req: Request) => handle(req, undefined, async () => methodNotAllowed(req.method, ALLOW));

export { handler as GET, handler as POST, options as OPTIONS, other as PUT, other as PATCH, other as DELETE };
