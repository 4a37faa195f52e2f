/**
 * An operation is one method of one REST route: its handler *and* what the API document says
 * about it. The request-body schema declared here is the one the glue parses before calling the
 * handler, the auth flag is the one the glue enforces, and the throttle scope is the one the
 * limiter applies — so the OpenAPI document (server/http/openapi.ts) is generated from the same
 * objects that run, and cannot drift from them.
 *
 *   restRoute({
 *     POST: operation({
 *       summary: "Obtain a token pair",
 *       throttle: "auth",
 *       body: credentialsInput,
 *       responses: { 200: { description: "Token pair", schema: tokenPair } },
 *       handler: async ({ body, ip }) => json(await login(body, { ip })),
 *     }),
 *   });
 */
import type { z } from "zod";
import type { Principal } from "../services/accounts/principal";
import type { ThrottleScope } from "../edge/rate-limit/policies";
import type { ApiResponse } from "./message";
import type { RequestContext } from "./route";

/**
 * Parses one path parameter, or throws the spec's 404 (an id that is not a UUID, an unknown
 * provider slug): a malformed id names nothing, exactly like an id of another tenant.
 */
export type PathParam<T> = (raw: string) => T;

export interface ResponseDoc {
  description: string;
  /** JSON body shape; omitted for empty bodies (204, 202). */
  schema?: z.ZodType;
}

export interface OperationDoc {
  summary: string;
  description?: string;
  /** Requires `Authorization: Bearer <access>`; the handler receives the principal. */
  auth?: boolean;
  /**
   * Rate-limit scope from server/edge/rate-limit/policies.ts: per client address (`auth`,
   * `public`) or, on an authenticated operation, per user (`invites`, `sync`, …; the tRPC
   * procedure of the same action names the same scope).
   */
  throttle?: ThrottleScope;
  /**
   * Checks that need no body (path parameters, the caller's role), run after authentication and
   * before the body is parsed, so an unknown path or a missing role answers 404/403 first.
   */
  guard?: (ctx: RequestContext) => void | Promise<void>;
  /** Path parameters, parsed after authentication (server/http/path-params.ts); the handler gets the parsed values. */
  params?: Record<string, PathParam<unknown>>;
  /** JSON request body, parsed (and validated) before the handler runs. */
  body?: z.ZodType;
  /** Query parameters the handler reads (documented; the handler parses them). */
  query?: z.ZodObject;
  /** Success answers and route-specific errors; the glue's common errors are added by the generator. */
  responses: Record<number, ResponseDoc>;
}

type BodyOf<B> = B extends z.ZodType ? z.output<B> : undefined;
type AuthOf<A> = A extends true ? { principal: Principal } : object;
type ParamsOf<P> = { [K in keyof P]: P[K] extends PathParam<infer T> ? T : never };
export type OperationContext<B, A, P = Record<string, never>> = Omit<RequestContext, "params"> & {
  params: ParamsOf<P> & Record<string, unknown>;
  body: BodyOf<B>;
} & AuthOf<A>;

export interface Operation extends OperationDoc {
  handler: (ctx: RequestContext & { body: unknown }) => Promise<ApiResponse>;
}

export const OPERATION = Symbol("operation");

/** Declares an operation; the handler's `body`, `principal` and `params` are typed from `body`, `auth` and `params`. */
export function operation<
  B extends z.ZodType | undefined = undefined,
  const A extends boolean = false,
  P extends Record<string, PathParam<unknown>> = Record<string, never>,
>(
  def: OperationDoc & { body?: B; auth?: A; params?: P; handler: (ctx: OperationContext<B, A, P>) => Promise<ApiResponse> },
): Operation & { [OPERATION]: true } {
  return { ...def, handler: def.handler as Operation["handler"], [OPERATION]: true };
}

export function isOperation(value: unknown): value is Operation {
  return typeof value === "object" && value !== null && OPERATION in value;
}
