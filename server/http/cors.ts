/**
 * CORS from the environment (spec/accounts.md "CORS"), applied by the REST glue to every /api
 * response, tRPC included: exact origin matching, credentials, preflight answers, `Vary: Origin`.
 * A disallowed origin gets no CORS headers at all (the browser then blocks the read).
 */
import { env, type Env } from "../env";
import type { ApiRequest, ApiResponse } from "./message";

export interface CorsPolicy {
  origins: ReadonlySet<string>;
  allowAll: boolean;
  credentials: boolean;
  methods: string;
  headers: string;
  maxAge: string;
}

/** Origins compare as the browser serializes them: scheme://host[:port], lower-case, no path. */
function originOf(value: string): string | null {
  try {
    const origin = new URL(value).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

export function corsPolicy(e: Env): CorsPolicy {
  const origins = new Set<string>();
  for (const value of [...e.CORS_ALLOWED_ORIGINS, e.FRONTEND_BASE_URL ?? ""]) {
    const origin = originOf(value);
    if (origin) origins.add(origin);
  }
  return {
    origins,
    allowAll: e.CORS_ALLOW_ALL_ORIGINS,
    credentials: e.CORS_ALLOW_CREDENTIALS,
    methods: e.CORS_ALLOWED_METHODS.map((m) => m.toUpperCase()).join(", "),
    headers: e.CORS_ALLOWED_HEADERS.map((h) => h.toLowerCase()).join(", "),
    maxAge: String(e.CORS_PREFLIGHT_MAX_AGE),
  };
}

let cached: { env: Env; policy: CorsPolicy } | undefined;
function currentPolicy(): CorsPolicy {
  const e = env();
  if (cached?.env !== e) cached = { env: e, policy: corsPolicy(e) };
  return cached.policy;
}

/** The Access-Control-Allow-Origin value for this request's Origin, or null when not allowed. */
export function allowOriginFor(origin: string | null, policy: CorsPolicy): string | null {
  if (!origin) return null;
  if (policy.origins.has(origin)) return origin;
  if (!policy.allowAll) return null;
  // Never "*" together with credentials: reflect the origin instead (env.ts refuses the
  // combination in production).
  return policy.credentials ? origin : "*";
}

function baseHeaders(allow: string, policy: CorsPolicy): Record<string, string> {
  return policy.credentials ? { "access-control-allow-origin": allow, "access-control-allow-credentials": "true" } : { "access-control-allow-origin": allow };
}

/** The answer to a CORS preflight from an allowed origin; null lets the route's OPTIONS answer. */
export function preflight(req: ApiRequest, policy = currentPolicy()): ApiResponse | null {
  if (req.method !== "OPTIONS" || !req.headers.get("access-control-request-method")) return null;
  const allow = allowOriginFor(req.headers.get("origin"), policy);
  if (!allow) return null;
  return {
    status: 200,
    headers: {
      ...baseHeaders(allow, policy),
      "access-control-allow-methods": policy.methods,
      "access-control-allow-headers": policy.headers,
      "access-control-max-age": policy.maxAge,
      vary: "Origin",
    },
    body: null,
  };
}

/** Adds the CORS headers of an actual (non-preflight) request to its response. */
export function applyCors(req: ApiRequest, response: ApiResponse, policy = currentPolicy()): void {
  // Caches must key on Origin whenever the answer depends on it.
  const vary = response.headers.vary;
  response.headers.vary = vary ? (/\borigin\b/i.test(vary) ? vary : `${vary}, Origin`) : "Origin";
  const allow = allowOriginFor(req.headers.get("origin"), policy);
  if (!allow) return;
  Object.assign(response.headers, baseHeaders(allow, policy));
  response.headers["access-control-expose-headers"] = "x-request-id, retry-after";
}
