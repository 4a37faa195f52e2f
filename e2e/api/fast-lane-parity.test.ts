/**
 * The fast lane answers exactly as Next's route pipeline does (issue 13): two servers of the same
 * build on the same database — one with the fast lane (the default), one with API_FAST_LANE=false —
 * get the same ~280 requests: every route and method, good and bad bodies, missing/expired/tampered
 * tokens, 401/403/404/405/413/415/429, CORS preflights and actual requests, with and without the
 * trailing slash, HEAD, odd methods, tRPC. Status, JSON body (ids, times and tokens normalised) and
 * the security/CORS headers must be identical.
 *
 * Each server counts rate limits under its own Redis prefix, so both meet the 429 at the same request.
 */
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import path from "node:path";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { API_ROUTES } from "~/app/api/route-table";
import { api, createMember, createTenant, PASSWORD, uniqueEmail, type TestTenant } from "../support/api";
import { startAppServer, type AppServer } from "../support/app-server";
import { ARTIFACTS } from "../support/stack";
import { memberWithRole } from "../support/team";

interface Spec {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body without Content-Length (chunked). */
  chunked?: boolean;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Headers whose values must match exactly (request ids, dates and framing differ by nature). */
const COMPARED = [
  "content-type",
  "cache-control",
  "allow",
  "www-authenticate",
  "x-content-type-options",
  "x-frame-options",
  "strict-transport-security",
  "cross-origin-opener-policy",
  "permissions-policy",
  "referrer-policy",
  "content-security-policy",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-max-age",
  "access-control-expose-headers",
];

async function until<T>(read: () => T | undefined, timeoutMs = 3000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (value === undefined && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = read();
  }
  return value;
}

function send(base: string, spec: Spec): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined && !spec.chunked) headers["content-length"] = Buffer.byteLength(spec.body);
    const req = httpRequest({ host: url.hostname, port: url.port, method: spec.method, path: spec.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : "";
        } catch {
          /* not JSON: compared as text */
        }
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode!, headers: out, body });
      });
    });
    req.on("error", reject);
    if (spec.body !== undefined) req.write(spec.body);
    req.end();
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g;
const LANE = /parity-(fast|next)-/g;

/** Ids, times, tokens and the lane's own names replaced, so only the shape and messages remain. */
function normalise(value: unknown): unknown {
  if (typeof value === "string") return value.replace(JWT, "<jwt>").replace(UUID, "<uuid>").replace(ISO_TIME, "<time>").replace(LANE, "parity-<lane>-");
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    // Invitation tokens are random by nature; that one exists is part of the shape.
    for (const [k, v] of Object.entries(value)) out[k] = k === "request_id" ? "<request id>" : k === "token" && typeof v === "string" ? "<token>" : normalise(v);
    return out;
  }
  return value;
}

function comparable(answer: Answer) {
  const headers: Record<string, string> = {};
  for (const name of COMPARED) if (answer.headers[name] !== undefined) headers[name] = answer.headers[name]!;
  // Vary must name Origin; the rest of it (Next adds its own entries to pages) is not the API's.
  const varyOrigin = /\borigin\b/i.test(answer.headers.vary ?? "");
  return { status: answer.status, body: normalise(answer.body), headers, varyOrigin, requestId: Boolean(answer.headers["x-request-id"]) };
}

let next: AppServer;
let fast: AppServer;
let a: TestTenant;
let b: TestTenant;
let viewer: { access: string };
let analyst: { access: string };
let roleId: string;
let inviteId: string;
/** A VIEWER assignment per lane, for a DELETE that succeeds (204) on both. */
const laneRole: Record<"fast" | "next", string> = { fast: "", next: "" };

beforeAll(async () => {
  // The two lanes of one build, on the shared database; rate-limit counters of their own.
  const env = { ...inject("testEnv"), DRF_THROTTLE_PUBLIC: "60/min" };
  [fast, next] = await Promise.all([
    startAppServer({ ...env, REDIS_KEY_PREFIX: `parity-fast-${randomUUID()}` }, { logFile: path.join(ARTIFACTS, "parity-fast.log") }),
    startAppServer({ ...env, REDIS_KEY_PREFIX: `parity-next-${randomUUID()}`, API_FAST_LANE: "false" }, { logFile: path.join(ARTIFACTS, "parity-next.log") }),
  ]);
  [a, b] = await Promise.all([createTenant(), createTenant()]);
  viewer = await memberWithRole(a, "VIEWER");
  analyst = await memberWithRole(a, "ANALYST");
  // The admin's own ADMIN assignment: deleting it is refused (last admin), so both lanes see the same.
  const roles = await api("/api/user-roles/", { token: a.access });
  roleId = (roles.body.results ?? roles.body).find((r: { role: string }) => r.role === "ADMIN").id;
  const invite = await api("/api/users/invite/", { token: a.access, body: { email: uniqueEmail("parity-invite") } });
  inviteId = invite.body.id;
  for (const lane of ["fast", "next"] as const) {
    const member = await memberWithRole(a, "VIEWER");
    const assignments = await api("/api/user-roles/", { token: a.access });
    laneRole[lane] = (assignments.body.results ?? assignments.body).find((r: { user: string | { id: string } }) => (typeof r.user === "string" ? r.user : r.user.id) === member.id).id;
  }
}, 120_000);

afterAll(async () => Promise.all([fast?.stop(), next?.stop()]));

/** Every request of the comparison. Lane-specific values (new e-mails) come from `lane`; `run` keeps them unique per test run. */
function specs(lane: "fast" | "next", run: string): Spec[] {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const jsonBody = (value: unknown, headers: Record<string, string> = {}) => ({ headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(value) });
  const key = inject("testEnv").SECRET_KEY!;
  const claims = jwt.decode(a.access) as Record<string, unknown>;
  const { exp: _e, iat: _i, ...base } = claims;
  const expired = jwt.sign({ ...base, iat: 1_000_000_000 }, key, { algorithm: "HS256", expiresIn: 60 });
  const tampered = `${a.access.slice(0, -4)}${a.access.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
  const refreshAsAccess = a.refresh;
  const id = { tenant_id: a.id, provider: "ga4", id: roleId, trpc: "me.get" } as Record<string, string>;
  const fill = (p: string) => p.replace(/\{(\w+)\}/g, (_m, name: string) => id[name] ?? "x");
  const out: Spec[] = [];

  // 1. Every route × every method, anonymous: 401s, 405s, validation of public bodies, 404 of the catch-all.
  for (const route of API_ROUTES) {
    const p = route.kind === "fallback" ? "/api/no-such-route/" : fill(route.path);
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
      out.push({ label: `anonymous ${method} ${p}`, method, path: p, ...(method === "POST" ? jsonBody({}) : {}) });
  }
  // 2. Every GET route as the admin, with and without the trailing slash; HEAD of each.
  const gets = API_ROUTES.filter((r) => r.kind === "route" && r.path !== "/api/schema/" && !r.path.includes("trpc")).map((r) => fill(r.path));
  for (const p of gets) {
    out.push({ label: `admin GET ${p}`, method: "GET", path: p, headers: bearer(a.access) });
    out.push({ label: `admin GET ${p} (no slash)`, method: "GET", path: p.replace(/\/$/, ""), headers: bearer(a.access) });
    out.push({ label: `admin HEAD ${p}`, method: "HEAD", path: p, headers: bearer(a.access) });
  }
  for (const provider of ["facebook_pages", "meta_ads", "google_ads", "search_console", "GA4", "%20ga4%20", "nope"]) {
    out.push({ label: `status ${provider}`, method: "GET", path: `/api/integrations/${provider}/status/`, headers: bearer(a.access) });
    out.push({ label: `jobs ${provider}`, method: "GET", path: `/api/integrations/${provider}/jobs/?limit=abc`, headers: bearer(a.access) });
  }
  // 3. Tokens: missing, foreign scheme, malformed, expired, tampered, a refresh token as access.
  for (const [label, value] of [
    ["no scheme", a.access],
    ["foreign scheme", `Token ${a.access}`],
    ["bearer only", "Bearer"],
    ["two parts", `Bearer ${a.access} extra`],
    ["expired", `Bearer ${expired}`],
    ["tampered", `Bearer ${tampered}`],
    ["refresh as access", `Bearer ${refreshAsAccess}`],
    ["garbage", "Bearer not.a.jwt"],
  ])
    for (const p of ["/api/me/", "/api/users/", "/api/trpc/me.get"]) out.push({ label: `${label} ${p}`, method: "GET", path: p, headers: { authorization: value! } });
  // 4. Roles: 403 for a VIEWER and an ANALYST on ADMIN routes; another tenant's ids are 404.
  for (const member of [viewer, analyst]) {
    out.push({ label: "member audit log", method: "GET", path: "/api/audit-logs/", headers: bearer(member.access) });
    out.push({ label: "member invite", method: "POST", path: "/api/users/invite/", ...jsonBody({ email: "x@example.test" }, bearer(member.access)) });
    out.push({ label: "member provision", method: "POST", path: "/api/integrations/ga4/provision/", ...jsonBody({}, bearer(member.access)) });
    out.push({ label: "member sync", method: "POST", path: "/api/integrations/ga4/sync/", ...jsonBody({}, bearer(member.access)) });
    out.push({ label: "member delete role", method: "DELETE", path: `/api/user-roles/${roleId}/`, headers: bearer(member.access) });
  }
  for (const p of [`/api/tenants/${b.id}/`, `/api/tenants/not-a-uuid/`, `/api/tenants/${randomUUID()}/`, `/api/user-roles/not-a-uuid/`])
    out.push({ label: `foreign or bad id ${p}`, method: p.includes("user-roles") ? "DELETE" : "GET", path: p, headers: bearer(a.access) });
  out.push({ label: "invite into another tenant", method: "POST", path: `/api/tenants/${b.id}/invite/`, ...jsonBody({ email: "x@example.test" }, bearer(a.access)) });
  out.push({ label: "resend bad id", method: "POST", path: `/api/tenants/${a.id}/invite/resend/`, ...jsonBody({ invitation_id: "nope" }, bearer(a.access)) });
  out.push({ label: "resend unknown", method: "POST", path: `/api/tenants/${a.id}/invite/resend/`, ...jsonBody({ invitation_id: randomUUID() }, bearer(a.access)) });
  // 5. Bodies: malformed JSON, wrong type (415), too large (413, declared and chunked), NUL, wrong field types.
  const big = JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) });
  for (const p of ["/api/token/", "/api/tenants/", "/api/users/", "/api/roles/assign/", "/api/auth/password-reset/", "/api/trpc/tenants.signUp"]) {
    const auth = p.startsWith("/api/users/") || p.startsWith("/api/roles/") ? bearer(a.access) : {};
    out.push({ label: `malformed JSON ${p}`, method: "POST", path: p, headers: { ...auth, "content-type": "application/json" }, body: "{not json" });
    out.push({ label: `text/plain ${p}`, method: "POST", path: p, headers: { ...auth, "content-type": "text/plain" }, body: "hello" });
    out.push({ label: `413 ${p}`, method: "POST", path: p, headers: { ...auth, "content-type": "application/json" }, body: big });
    out.push({ label: `413 chunked ${p}`, method: "POST", path: p, headers: { ...auth, "content-type": "application/json" }, body: big, chunked: true });
    out.push({ label: `NUL ${p}`, method: "POST", path: p, ...jsonBody({ email: "a\u0000b@example.test", name: "x\u0000", password: "p\u0000" }, auth) });
    out.push({ label: `types ${p}`, method: "POST", path: p, ...jsonBody({ email: 5, name: [], password: null, user: "nope", role: "KING" }, auth) });
  }
  // 6. Work that writes (lane-specific values): sign-up, login, user creation, an invite, a role change.
  const email = (what: string) => `parity-${lane}-${what}-${run}@example.test`;
  out.push({ label: "sign-up", method: "POST", path: "/api/tenants/", ...jsonBody({ name: `Parity ${run}`, admin_email: email("signup"), admin_password: PASSWORD }) });
  out.push({ label: "sign-up duplicate", method: "POST", path: "/api/tenants/", ...jsonBody({ name: "Dup", admin_email: a.adminEmail, admin_password: PASSWORD }) });
  out.push({ label: "login", method: "POST", path: "/api/token/", ...jsonBody({ email: a.adminEmail, password: PASSWORD }) });
  out.push({ label: "login wrong", method: "POST", path: "/api/auth/login/", ...jsonBody({ email: a.adminEmail, password: "wrong-password" }) });
  out.push({ label: "refresh bad", method: "POST", path: "/api/token/refresh/", ...jsonBody({ refresh: "nope" }) });
  out.push({ label: "create user", method: "POST", path: "/api/users/", ...jsonBody({ email: email("user"), password: PASSWORD }, bearer(a.access)) });
  out.push({ label: "invite", method: "POST", path: "/api/users/invite/", ...jsonBody({ email: email("invite"), role: "VIEWER" }, bearer(a.access)) });
  out.push({ label: "resend", method: "POST", path: "/api/users/invite/resend/", ...jsonBody({ invitation_id: inviteId }, bearer(a.access)) });
  out.push({ label: "password reset", method: "POST", path: "/api/auth/password-reset/", ...jsonBody({ email: email("reset") }) });
  out.push({ label: "accept bad token", method: "POST", path: "/api/users/accept-invite/", ...jsonBody({ token: "nope", password: PASSWORD }) });
  out.push({ label: "last admin", method: "DELETE", path: `/api/user-roles/${roleId}/`, headers: bearer(a.access) });
  out.push({ label: "revoke a role", method: "DELETE", path: `/api/user-roles/${laneRole[lane]}/`, headers: bearer(a.access) });
  out.push({ label: "oauth start", method: "POST", path: "/api/integrations/ga4/oauth/start/", ...jsonBody({ return_path: "//evil.example" }, bearer(a.access)) });
  out.push({ label: "callback unknown state", method: "POST", path: "/api/integrations/ga4/oauth/callback/", ...jsonBody({ code: "c", state: "nope" }, bearer(a.access)) });
  out.push({ label: "provision without credential", method: "POST", path: "/api/integrations/meta_ads/provision/", ...jsonBody({}, bearer(a.access)) });
  out.push({ label: "sync without connection", method: "POST", path: "/api/integrations/meta_ads/sync/", ...jsonBody({}, bearer(a.access)) });
  // 7. CORS: preflights and actual requests from an allowed and a foreign origin.
  for (const origin of ["https://app.example.test", "https://evil.example"])
    for (const p of ["/api/me/", "/api/token/", "/api/trpc/me.get", "/api/no-such/"]) {
      out.push({ label: `preflight ${origin} ${p}`, method: "OPTIONS", path: p, headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
      out.push({ label: `actual ${origin} ${p}`, method: "GET", path: p, headers: { origin, ...bearer(a.access) } });
    }
  // 8. Odd methods and malformed paths (answered before either lane).
  for (const method of ["PROPFIND", "TRACE", "PURGE"]) for (const p of ["/api/me/", "/api/no-such/", "/api/trpc/me.get"]) out.push({ label: `${method} ${p}`, method, path: p });
  for (const p of ["/api/tenants/%E0%A4%A/", "/api/%ZZ/", "/api/me/%00/", `/api/${"a".repeat(1100)}/`, `/api/users/${"x/".repeat(2100)}`, "/api/integrations/%FF/status/"])
    out.push({ label: `malformed ${p.slice(0, 40)}`, method: "GET", path: p, headers: bearer(a.access) });
  // 9. tRPC: a query, a batch, a mutation with bad input, a forbidden one, a batch over the limit.
  const input = (n: number) => encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))));
  out.push({ label: "trpc batch", method: "GET", path: `/api/trpc/me.get,tenants.current?batch=1&input=${input(2)}`, headers: bearer(a.access) });
  out.push({ label: "trpc batch of 21", method: "GET", path: `/api/trpc/${Array(21).fill("members.list").join(",")}?batch=1&input=${input(21)}`, headers: bearer(a.access) });
  out.push({ label: "trpc unknown procedure", method: "GET", path: "/api/trpc/nope.nope", headers: bearer(a.access) });
  out.push({ label: "trpc mutation as GET", method: "GET", path: "/api/trpc/invites.create", headers: bearer(a.access) });
  out.push({ label: "trpc bad input", method: "POST", path: "/api/trpc/invites.create", ...jsonBody({ email: "nope" }, bearer(a.access)) });
  out.push({ label: "trpc forbidden", method: "POST", path: "/api/trpc/invites.create", ...jsonBody({ email: "x@example.test" }, bearer(viewer.access)) });
  out.push({ label: "trpc anonymous", method: "GET", path: "/api/trpc/members.list" });
  return out;
}

/** The public rate limit: 70 health checks (limit 60/min): the 61st and later are 429 on both lanes. */
const throttled = (): Spec[] => Array.from({ length: 70 }, (_, i) => ({ label: `health #${i + 1}`, method: "GET", path: "/api/health/" }));

/** Waits for the start of a minute: the limit's fixed windows then start empty on both lanes. */
async function freshWindow(): Promise<void> {
  const wait = 60_000 - (Date.now() % 60_000) + 50;
  await new Promise((r) => setTimeout(r, wait));
}

describe("fast lane ⇔ Next route pipeline", () => {
  it("answer every request identically", async () => {
    const run = randomUUID().slice(0, 8);
    const fastSpecs = specs("fast", run);
    const nextSpecs = specs("next", run);
    const differences: string[] = [];
    const statuses = new Map<number, number>();
    const compare = async (i: number) => {
      const [x, y] = [await send(fast.baseUrl, fastSpecs[i]!), await send(next.baseUrl, nextSpecs[i]!)];
      statuses.set(x.status, (statuses.get(x.status) ?? 0) + 1);
      const [cx, cy] = [comparable(x), comparable(y)];
      // Retry-After is a number of seconds to a window's end: the two lanes may straddle a second.
      const retry = [Number(x.headers["retry-after"] ?? 0), Number(y.headers["retry-after"] ?? 0)];
      if (Math.abs(retry[0]! - retry[1]!) > 1) differences.push(`${fastSpecs[i]!.label}: retry-after ${retry}`);
      const dx = JSON.stringify(cx);
      const dy = JSON.stringify(cy);
      if (dx !== dy) differences.push(`${fastSpecs[i]!.label}:\n  fast ${dx}\n  next ${dy}`);
    };
    for (let i = 0; i < fastSpecs.length; i++) await compare(i);
    await freshWindow();
    fastSpecs.push(...throttled());
    nextSpecs.push(...throttled());
    for (let i = fastSpecs.length - 70; i < fastSpecs.length; i++) await compare(i);
    expect(fastSpecs.length).toBeGreaterThanOrEqual(200);
    console.log(`parity: ${fastSpecs.length} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(differences).toEqual([]);
    for (const status of [200, 201, 204, 400, 401, 403, 404, 405, 413, 415, 429]) expect(statuses.get(status), `some ${status}`).toBeGreaterThan(0);
  }, 240_000);
});

describe("malformed request paths", () => {
  const cases = ["/api/tenants/%E0%A4%A/", "/api/%ZZ/", "/api/me/%00/", `/api/${"a".repeat(1100)}/`, `/api/users/${"x/".repeat(2100)}`];
  it.each(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND"])("%s answers JSON 400 with a request id and a log line, on every kind of /api path", async (method) => {
    for (const p of [...cases, "/api/user-roles/%C0%AF/", "/api/users/invite/%E0%A4%A/", "/api/integrations/%ZZ/status/", "/api/trpc/%E0.get"]) {
      const requestId = `malformed-${randomUUID()}`;
      const res = await send(fast.baseUrl, { label: p, method, path: p, headers: { "x-request-id": requestId } });
      expect(res.status, `${method} ${p}`).toBe(400);
      expect(res.headers["x-request-id"]).toBe(requestId);
      if (method !== "HEAD") {
        expect(res.headers["content-type"]).toBe("application/json");
        expect(res.body).toEqual({ detail: expect.stringMatching(/^(Malformed request path\.|Request path is too long\.)$/) });
      }
      // The line is written before the answer, but reaches this process through a pipe.
      const line = await until(() => fast.output().split("\n").find((l) => l.includes(requestId)));
      expect(line, `log line of ${method} ${p}`).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ msg: "request", method, status: 400 });
    }
  });
});

describe("the fast lane keeps a connection usable", () => {
  it("after a refused body, the same keep-alive connection serves the next request", async () => {
    const big = "y".repeat(2 * 1024 * 1024);
    const me = () => fetch(`${fast.baseUrl}/api/me/`, { headers: { authorization: `Bearer ${a.access}` } });
    const declared = await fetch(`${fast.baseUrl}/api/tenants/`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(declared.status).toBe(413);
    expect((await me()).status).toBe(200);
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode("y".repeat(64 * 1024)));
        c.close();
      },
    });
    const streamed = await fetch(`${fast.baseUrl}/api/trpc/tenants.signUp`, { method: "POST", headers: { "content-type": "application/json" }, body: chunked, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await me()).status).toBe(200);
    expect((await api("/api/me/", { base: fast.baseUrl, token: (await createMember(a)).access })).status).toBe(200);
  });
});
