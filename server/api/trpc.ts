/**
 * tRPC for the browser: context, error shape, and the procedure ladder
 * public → authed → tenant → requireRole(...). Procedures call the same services as REST.
 */
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import type { RoleName } from "../db/schema";
import { requireRole as assertRole, type Principal } from "../services/accounts/principal";
import { AppError, asAppError, type ErrorKind } from "../services/errors";
import { principalFromBearerOrSession } from "../edge/principal";
import { toFieldErrors } from "../services/validation";
import { log } from "../infra/log";
import { clientIp } from "../edge/client-ip";
import type { ClientScope, UserScope } from "../edge/rate-limit/policies";
import { throttle, throttleUser } from "../edge/rate-limit/throttle";

export interface TrpcContext {
  req: Request;
  requestId: string;
  /**
   * The caller, authenticated once per HTTP request: every call of a batch shares it (one
   * principal query per request, not per call).
   */
  principal(): Promise<Principal>;
}

/** `onPrincipal` hands the caller to the request log line. */
export function createContext(req: Request, requestId: string, onPrincipal: (p: Principal) => void = () => {}): TrpcContext {
  let loaded: Promise<Principal> | undefined;
  return {
    req,
    requestId,
    principal: () =>
      (loaded ??= principalFromBearerOrSession(req.headers).then((p) => {
        onPrincipal(p);
        return p;
      })),
  };
}

const CODES: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  validation: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  unsupported_media_type: "UNSUPPORTED_MEDIA_TYPE",
  throttled: "TOO_MANY_REQUESTS",
  upstream: "BAD_GATEWAY",
  unavailable: "SERVICE_UNAVAILABLE",
  timeout: "GATEWAY_TIMEOUT",
};

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const fields =
      cause instanceof AppError ? cause.extra.fields : cause instanceof ZodError ? toFieldErrors(cause).extra.fields : undefined;
    if (error.code === "INTERNAL_SERVER_ERROR") {
      log.error("unhandled trpc error", { request_id: ctx?.requestId, error: cause ?? error });
      return { ...shape, message: "Internal server error.", data: { ...shape.data, stack: undefined } };
    }
    const retryAfter = cause instanceof AppError ? cause.extra.retryAfterSeconds : undefined;
    return { ...shape, data: { ...shape.data, stack: undefined, fields: fields ?? null, ...(retryAfter ? { retryAfter } : {}) } };
  },
});

/**
 * Converts domain errors thrown by services (and an unreachable database, see asAppError) into
 * tRPC errors with the same meaning.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const cause = result.ok ? null : asAppError(result.error.cause);
  if (cause) throw new TRPCError({ code: CODES[cause.kind], message: cause.detail, cause });
  return result;
});

/** HTTP headers of a tRPC answer: `Retry-After` when an error says when to retry (as REST sends it). */
export function responseMeta({ errors }: { errors: TRPCError[] }): { headers?: Headers } {
  const seconds = errors.map((e) => (e.cause instanceof AppError ? e.cause.extra.retryAfterSeconds : undefined)).find((s) => s !== undefined);
  return seconds === undefined ? {} : { headers: new Headers({ "retry-after": String(seconds) }) };
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

/**
 * A public procedure under a rate-limit scope (server/edge/rate-limit/policies.ts). It shares the
 * REST routes' buckets, so the same action over tRPC cannot sidestep the REST limits.
 */
export const throttledProcedure = (scope: ClientScope) =>
  publicProcedure.use(async ({ ctx, next }) => {
    await throttle(scope, clientIp(ctx.req.headers));
    return next();
  });

/**
 * A per-user rate-limit scope for a signed-in action, used after the role step and before
 * `.input()` (as the REST glue counts after its guard and before the body):
 * `roleProcedure("ADMIN").use(userThrottle("invites")).input(…)`. The REST operation of the same
 * action names the same scope, so both transports draw on one bucket per user.
 */
export const userThrottle =
  (scope: UserScope) =>
  async <R>({ ctx, next }: { ctx: { principal: Principal }; next: () => Promise<R> }): Promise<R> => {
    await throttleUser(scope, ctx.principal);
    return next();
  };

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = await ctx.principal();
  return next({ ctx: { ...ctx, principal } });
});

/** Every principal has exactly one tenant; this step names it for procedures that act on it. */
export const tenantProcedure = authedProcedure.use(({ ctx, next }) =>
  next({ ctx: { ...ctx, tenantId: ctx.principal.tenantId } }),
);

export const roleProcedure = (...roles: RoleName[]) =>
  tenantProcedure.use(({ ctx, next }) => {
    assertRole(ctx.principal, ...roles);
    return next();
  });
