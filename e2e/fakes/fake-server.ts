/**
 * The plumbing every fake shares: a node HTTP server on a free port, a record of what it saw, and
 * a control endpoint that makes matching requests fail so tests can drive unhappy paths.
 *
 * Control API (JSON):
 *   POST /__control/fail   {path?, match?, mode, status?, times?}  — arm a failure rule
 *   POST /__control/reset  {}                                      — drop rules (records stay)
 *   GET  /__control/requests?path=…&match=…                        — what the fake saw
 * A rule applies when the request path contains `path` and the request (url + headers + body)
 * contains `match`; tests use a unique `match` (their fake user, connection id…) so files running
 * in parallel never trip each other. `times` defaults to 1 (use 0 for "until reset").
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type FailMode = "status" | "timeout" | "invalid_grant" | "oauth190" | "auth_failure";

export interface FailRule {
  path?: string;
  match?: string;
  mode: FailMode;
  status?: number;
  times: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  at: string;
}

export interface FakeRequest extends SeenRequest {
  url: URL;
  /** Form or JSON body, parsed by content type. */
  form: URLSearchParams;
  json: any;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text body (HTML pages); `body` is sent as JSON otherwise. */
  text?: string;
}

export type FakeHandler = (req: FakeRequest, failure: FailRule | null) => FakeResponse | Promise<FakeResponse>;

export interface Fake {
  name: string;
  url: string;
  server: Server;
  seen: SeenRequest[];
  /** Requests per path since start (never trimmed, unlike `seen`): benches count calls with it. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

/** How long a "timeout" failure holds the response (longer than any client timeout we use). */
export const HANG_MS = 30_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, out: FakeResponse): void {
  const headers: Record<string, string> = { ...out.headers };
  let payload = "";
  if (out.text !== undefined) {
    payload = out.text;
    headers["content-type"] ??= "text/html; charset=utf-8";
  } else if (out.body !== undefined) {
    payload = JSON.stringify(out.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  res.writeHead(out.status, headers).end(payload);
}

/** Starts a fake on 127.0.0.1:<port> (0 = any free port). */
export async function startFake(name: string, handler: FakeHandler, port = 0): Promise<Fake> {
  const rules: FailRule[] = [];
  const seen: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const hanging = new Set<NodeJS.Timeout>();

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      const body = await readBody(req);
      if (url.pathname.startsWith("/__control/")) return send(res, control(url, req.method ?? "GET", body));

      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
      );
      const record: SeenRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
        at: new Date().toISOString(),
      };
      seen.push(record);
      if (seen.length > 20_000) seen.splice(0, 5_000);
      counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);

      const haystack = `${req.url} ${JSON.stringify(headers)} ${body}`;
      const rule = rules.find((r) => (!r.path || url.pathname.includes(r.path)) && (!r.match || haystack.includes(r.match)));
      if (rule) {
        if (rule.times > 0 && --rule.times === 0) rules.splice(rules.indexOf(rule), 1);
        if (rule.mode === "timeout") {
          // Hold the socket open until the client gives up (or the fake closes).
          const timer = setTimeout(() => res.destroy(), HANG_MS);
          hanging.add(timer);
          res.on("close", () => {
            clearTimeout(timer);
            hanging.delete(timer);
          });
          return;
        }
        if (rule.mode === "status") {
          const status = rule.status ?? 500;
          return send(res, {
            status,
            body: { error: { code: status, message: status === 429 ? "Rate limit exceeded." : "Backend error." } },
            headers: status === 429 ? { "retry-after": "0" } : {},
          });
        }
      }
      const contentType = String(req.headers["content-type"] ?? "");
      let json: any = undefined;
      let form = new URLSearchParams();
      // Control calls from tests may omit the content type; real clients always send it.
      if (body && (contentType.includes("json") || (url.pathname.startsWith("/__fake/") && body.trim().startsWith("{")))) json = JSON.parse(body);
      else if (contentType.includes("x-www-form-urlencoded")) form = new URLSearchParams(body);
      send(res, await handler({ ...record, url, form, json }, rule ?? null));
    } catch (error) {
      send(res, { status: 500, body: { error: { code: 500, message: `fake ${name} crashed: ${String(error)}` } } });
    }
  });

  function control(url: URL, method: string, body: string): FakeResponse {
    if (url.pathname === "/__control/fail" && method === "POST") {
      const input = JSON.parse(body || "{}") as Partial<FailRule>;
      rules.push({ path: input.path, match: input.match, mode: input.mode ?? "status", status: input.status, times: input.times ?? 1 });
      return { status: 200, body: { armed: rules.length } };
    }
    if (url.pathname === "/__control/reset" && method === "POST") {
      rules.length = 0;
      return { status: 200, body: { ok: true } };
    }
    if (url.pathname === "/__control/requests") {
      const path = url.searchParams.get("path");
      const match = url.searchParams.get("match");
      const rows = seen.filter(
        (r) => (!path || r.path.includes(path)) && (!match || `${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.headers)} ${r.body}`.includes(match)),
      );
      return { status: 200, body: { requests: rows } };
    }
    return { status: 404, body: { error: "unknown control endpoint" } };
  }

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    name,
    url: `http://127.0.0.1:${actualPort}`,
    server,
    seen,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of hanging) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tiny consent page: the "Allow" link is what a user would click. */
export function consentPage(app: string, scopes: string, approveHref: string, denyHref: string): FakeResponse {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  return {
    status: 200,
    text: `<!doctype html><html><head><title>${esc(app)} consent</title></head><body>
<h1>${esc(app)}: ADinsights wants access</h1><p>Scopes: ${esc(scopes)}</p>
<a id="allow" href="${esc(approveHref)}">Allow</a> <a id="deny" href="${esc(denyHref)}">Cancel</a>
</body></html>`,
  };
}

export const randomId = (bytes = 12) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
