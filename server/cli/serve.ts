/**
 * `npm start` and the Docker image: the production server.
 *
 * Two lanes. `/api/**` (REST and tRPC) is answered by the fast lane (server/http/fast-lane.ts):
 * Node's request goes straight to the handler the route file exports, routed over the table
 * generated from app/api. Everything else — pages, next-auth's `/auth/*`, static assets — is
 * Next's. `API_FAST_LANE=false` sends /api to Next too (same handlers through Next's route
 * pipeline; the parity test compares the two).
 *
 * Why not `next start`: Next fills `X-Forwarded-For` with the socket address only when the
 * header is absent, so a client could send its own value and pick its rate-limit bucket. Here the
 * socket address is always appended as the last hop before any handler sees the request, so
 * `clientIp()` (server/edge/client-ip.ts) can count hops from the right: with
 * TRUSTED_PROXY_COUNT=0 the client is the socket itself; with N proxies, the entry the Nth proxy
 * saw. Anything a client writes to the left of that is ignored.
 *
 * Usage: node dist/serve.mjs [-p PORT] [-H HOST]  (PORT env or 3000; all interfaces by default)
 */
import { createServer, type IncomingMessage } from "node:http";
import next from "next";
import { API_ROUTES } from "../../app/api/route-table";
import { env } from "../env";
import { createApiDispatcher, isApiPath } from "../http/fast-lane";
import { securityHeadersFor } from "../http/security-headers";
import { log } from "../infra/log";
import { logUncaughtErrors } from "../infra/process-errors";
import { runShutdownHooks } from "../infra/shutdown";
import { startWebProcess } from "./web-process";

function arg(names: string[]): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => names.includes(a));
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Appends the socket address, the one hop no client can forge, to X-Forwarded-For. */
export function appendSocketAddress(req: IncomingMessage): void {
  const socket = req.socket.remoteAddress;
  if (!socket) return;
  const given = req.headers["x-forwarded-for"];
  const prior = (Array.isArray(given) ? given.join(", ") : (given ?? "")).trim();
  req.headers["x-forwarded-for"] = prior ? `${prior}, ${socket}` : socket;
}

logUncaughtErrors("web");
const port = Number(arg(["-p", "--port"]) ?? process.env.PORT ?? 3000);
const hostname = arg(["-H", "--hostname"]);

// Before anything listens: the fast lane answers without Next, whose own start-up (instrumentation)
// would only run on its first request. Next's hook later finds this work done (once per process).
await startWebProcess();
const createNext = ((next as unknown as { default?: typeof next }).default ?? next) as typeof next;
const app = createNext({ dev: false, dir: process.cwd(), port, hostname: hostname ?? "localhost" });
await app.prepare();
const nextHandler = app.getRequestHandler();
const api = createApiDispatcher(API_ROUTES, { fastLane: env().API_FAST_LANE });

const server = createServer((req, res) => {
  appendSocketAddress(req);
  const raw = req.url ?? "/";
  const query = raw.indexOf("?");
  const path = query === -1 ? raw : raw.slice(0, query);
  if (isApiPath(path) && api.dispatch(req, res)) return;
  for (const { key, value } of securityHeadersFor(path.replace(/\/{2,}/g, "/"))) res.setHeader(key, value);
  void nextHandler(req, res);
});
server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
server.listen(port, hostname, () => {
  log.info("listening", { port, hostname: hostname ?? "*", api_fast_lane: env().API_FAST_LANE });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    // Stop accepting, let in-flight requests end, then finish buffered work (audit rows).
    server.close(() => void runShutdownHooks().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
