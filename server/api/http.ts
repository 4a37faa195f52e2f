/**
 * tRPC over HTTP: the same request plumbing as REST (request id, CORS, one log line, the user and
 * tenant on it) and the same limits — a body over 1 MiB is 413, a batch of more than
 * MAX_BATCH_SIZE calls is 400 — so /api/trpc is no cheaper to abuse than a REST route.
 */
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_BODY_BYTES, readLimited } from "../http/body";
import { handle, methodNotAllowed, type RequestContext } from "../http/route";
import { json } from "../http/respond";
import { AppError } from "../services/errors";
import { appRouter } from "./root";
import { createContext, responseMeta } from "./trpc";

export const TRPC_ENDPOINT = "/api/trpc";
/** The browser's client batches far fewer; the link's `maxItems` matches (app/trpc-client.ts). */
export const MAX_BATCH_SIZE = 20;
const ALLOW = "GET, POST, OPTIONS";

/**
 * The request tRPC sees, and whether its body was over the limit. A declared Content-Length is
 * exact (Node's parser reads that many bytes), so such a body is passed through; a chunked one is
 * read here, up to the limit.
 */
async function withinLimit(req: Request): Promise<{ req: Request; tooLarge: boolean }> {
  if (req.method !== "POST") return { req, tooLarge: false };
  const declared = req.headers.get("content-length");
  if (declared !== null) return { req, tooLarge: Number(declared) > MAX_BODY_BYTES };
  try {
    const body = await readLimited(req);
    return { req: new Request(req.url, { method: req.method, headers: req.headers, body }), tooLarge: false };
  } catch (error) {
    if (error instanceof AppError && error.kind === "payload_too_large") return { req: new Request(req.url, { method: req.method, headers: req.headers }), tooLarge: true };
    throw error;
  }
}

async function serve(ctx: RequestContext): Promise<Response> {
  const { req, tooLarge } = await withinLimit(ctx.req);
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    responseMeta,
    createContext: () => {
      // Thrown here, the error reaches the client in tRPC's own shape (status 413) before any input is read.
      if (tooLarge) throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: "Request body is too large." });
      return createContext(req, ctx.requestId, (principal) => (ctx.principal = principal));
    },
  });
}

/** GET (queries) and POST (mutations, and queries sent as POST). */
export const trpcRequest = (req: Request) => handle(req, undefined, serve);
/** A CORS preflight is answered by `handle`; a plain OPTIONS lists the methods. */
export const trpcOptions = (req: Request) => handle(req, undefined, async () => json({}, 200, { allow: ALLOW }));
/** Other methods get the JSON 405 every API path gives. */
export const trpcOtherMethod = (req: Request) => handle(req, undefined, async () => methodNotAllowed(req.method, ALLOW));
