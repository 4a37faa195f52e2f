/**
 * HTTP throughput of the foundation routes on the production build (one Node process):
 * GET /api/health/, GET /api/me/ (and the same profile over tRPC, `me.get`) and GET /api/users/
 * for a tenant with 25 users, and the team lists (role assignments, audit log) of the same tenant.
 * Prints req/s and p50/p99 latency. `npm run bench -- http [--seconds 10] [--connections 50]`
 */
import autocannon from "autocannon";
import { printTable, startBenchServer } from "./support";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg("seconds", 10);
const CONNECTIONS = arg("connections", 50);
const PASSWORD = "bench-password-123";

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, string>>;
}

function run(url: string, headers: Record<string, string>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const server = await startBenchServer();
try {
  const email = `bench-admin-${Date.now()}@example.test`;
  await post(`${server.baseUrl}/api/tenants/`, { name: "Bench Agency", admin_email: email, admin_password: PASSWORD });
  const { access } = await post(`${server.baseUrl}/api/token/`, { email, password: PASSWORD });
  await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      post(`${server.baseUrl}/api/users/`, { email: `member-${i}-${email}`, password: PASSWORD, first_name: `Member ${i}` }, access),
    ),
  );
  const auth = { authorization: `Bearer ${access}` };
  const targets = [
    { route: "GET /api/health/", url: "/api/health/", headers: {} },
    { route: "GET /api/me/", url: "/api/me/", headers: auth },
    // The browser's transport for the same profile: tRPC over the fast lane, same service.
    { route: "tRPC me.get", url: "/api/trpc/me.get", headers: auth },
    { route: "GET /api/users/ (25 users)", url: "/api/users/", headers: auth },
    { route: "GET /api/user-roles/", url: "/api/user-roles/", headers: auth },
    { route: "GET /api/audit-logs/ (26+ events, page 50)", url: "/api/audit-logs/", headers: auth },
    { route: "GET /api/audit-logs/?action=user_created", url: "/api/audit-logs/?action=user_created", headers: auth },
  ];
  const rows = [];
  for (const t of targets) {
    await run(`${server.baseUrl}${t.url}`, t.headers); // warm-up pass (JIT, pools), not reported
    const r = await run(`${server.baseUrl}${t.url}`, t.headers);
    rows.push({
      route: t.route,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "non-2xx": r.non2xx,
      errors: r.errors,
    });
  }
  printTable(`HTTP, production build, 1 Node process, ${CONNECTIONS} connections, ${SECONDS}s per route`, rows);
} finally {
  await server.stop();
}
