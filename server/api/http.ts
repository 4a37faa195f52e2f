/**
 * tRPC over HTTP: the same request plumbing as REST (request id, CORS, one log line, the user and
 * tenant on it) and the same limits — a body over 1 MiB is 413, a batch of more than
 * MAX_BATCH_SIZE calls is 400 — so /api/trpc is no cheaper to abuse than a REST route.
 */
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { entryOf, methodNotAllowed, routeExport, type RequestContext } from "../http/route";
import { fromWebResponse, json, type ApiResponse } from "../http/message";
import { AppError } from "../services/errors";
import { appRouter } from "./root";
import { createContext, responseMeta } from "./trpc";

export const TRPC_ENDPOINT = "/api/trpc";
/** The browser's client batches far fewer; the link's `maxItems` matches (app/trpc-client.ts). */
export const MAX_BATCH_SIZE = 20;
const ALLOW = "GET, POST, OPTIONS";

/** The body (read up to the limit), or null when it is over the limit. */
async function bodyWithinLimit(ctx: RequestContext): Promise<string | null | undefined> {
  if (ctx.req.method !== "POST") return undefined;
  try {
    return await ctx.req.readBody();
  } catch (error) {
    if (error instanceof AppError && error.kind === "payload_too_large") return null;
    throw error;
  }
}

async function serve(ctx: RequestContext): Promise<ApiResponse> {
  const body = await bodyWithinLimit(ctx);
  const req = ctx.req.toWebRequest(body ?? undefined);
  const response = await fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: body === null ? ctx.req.toWebRequest("") : req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    responseMeta,
    createContext: () => {
      // Thrown here, the error reaches the client in tRPC's own shape (status 413) before any input is read.
      if (body === null) throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: "Request body is too large." });
      return createContext(req, ctx.requestId, (principal) => (ctx.principal = principal));
    },
  });
  return fromWebResponse(response);
}

/** GET (queries) and POST (mutations, and queries sent as POST). */
export const trpcRequest = routeExport(entryOf(serve), { allow: ALLOW });
/** A CORS preflight is answered by `handle`; a plain OPTIONS lists the methods. */
export const trpcOptions = routeExport(entryOf(async () => json({}, 200, { allow: ALLOW })), { allow: ALLOW });
/** Other methods get the JSON 405 every API path gives. */
export const trpcOtherMethod = routeExport(entryOf(async (ctx) => methodNotAllowed(ctx.req.method, ALLOW)), { allow: ALLOW });
