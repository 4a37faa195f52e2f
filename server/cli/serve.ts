/**
 * `npm start` and the Docker image: the production build behind a plain Node HTTP server.
 *
 * Why not `next start`: Next fills `X-Forwarded-For` with the socket address only when the
 * header is absent, so a client could send its own value and pick its rate-limit bucket. Here the
 * socket address is always appended as the last hop before Next sees the request, so
 * `clientIp()` (server/http/client-ip.ts) can count hops from the right: with
 * TRUSTED_PROXY_COUNT=0 the client is the socket itself; with N proxies, the entry the Nth proxy
 * saw. Anything a client writes to the left of that is ignored.
 *
 * Usage: node dist/serve.mjs [-p PORT] [-H HOST]  (PORT env or 3000; all interfaces by default)
 */
import { createServer, type IncomingMessage } from "node:http";
import next from "next";
import { securityHeadersFor } from "../http/security-headers";
import { runShutdownHooks } from "../infra/shutdown";

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

const port = Number(arg(["-p", "--port"]) ?? process.env.PORT ?? 3000);
const hostname = arg(["-H", "--hostname"]);

const createNext = ((next as unknown as { default?: typeof next }).default ?? next) as typeof next;
const app = createNext({ dev: false, dir: process.cwd(), port, hostname: hostname ?? "localhost" });
await app.prepare();
const handler = app.getRequestHandler();

const server = createServer((req, res) => {
  appendSocketAddress(req);
  const pathname = (req.url ?? "/").split("?")[0]!.replace(/\/{2,}/g, "/");
  for (const { key, value } of securityHeadersFor(pathname)) res.setHeader(key, value);
  void handler(req, res);
});
server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
server.listen(port, hostname, () => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "listening", port, hostname: hostname ?? "*" })}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    // Stop accepting, let in-flight requests end, then finish buffered work (audit rows).
    server.close(() => void runShutdownHooks().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
