/** Helpers for the connection-health and webhook tests: events, Airbyte job outcomes, a webhook receiver. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { api, type TestTenant } from "./api";
import { fakeUrl, until, type Caller, type Slug } from "./connectors";
import { mailTo } from "./team";

export async function events(t: Caller, query = "") {
  const res = await api(`/api/events/${query}`, { base: t.base, token: t.access });
  if (res.status !== 200) throw new Error(`events: ${res.status} ${res.text}`);
  return res.body as { count: number; next: string | null; previous: string | null; results: { id: string; type: string; created_at: string; data: any }[] };
}

/** Waits until the tenant has at least `count` events of `type`; returns them (newest first). */
export async function waitForEvents(t: Caller, type: string, count = 1, timeoutMs = 20_000) {
  const page = await until(() => events(t, `?type=${type}`), (p) => p.count >= count, timeoutMs);
  return page.results;
}

export async function jobOutcome(connectionId: string, outcome: "succeeded" | "failed", extra: Record<string, unknown> = {}) {
  await fetch(`${fakeUrl("airbyte")}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: connectionId, outcome, ...extra }) });
}

/** Requests a sync and waits until the provider's last job is finished with `status`. */
export async function syncTo(t: Caller, provider: Slug, status: "succeeded" | "failed") {
  const before = await api(`/api/integrations/${provider}/jobs/`, { base: t.base, token: t.access });
  const known = new Set((before.body.jobs as any[]).map((j) => j.job_id));
  const queued = await api(`/api/integrations/${provider}/sync/`, { base: t.base, token: t.access, body: {} });
  if (queued.status !== 202) throw new Error(`sync: ${queued.status} ${queued.text}`);
  const jobs = await until(
    () => api(`/api/integrations/${provider}/jobs/`, { base: t.base, token: t.access }),
    (r) => (r.body.jobs as any[]).some((j) => !known.has(j.job_id) && (j.status === "succeeded" || j.status === "failed")),
  );
  const job = (jobs.body.jobs as any[]).find((j) => !known.has(j.job_id));
  if (job?.status !== status) throw new Error(`sync ended ${job?.status}, wanted ${status}`);
  return job;
}

export const mailWithSubject = async (tenant: TestTenant, pattern: RegExp) => (await mailTo(tenant.adminEmail)).filter((m) => pattern.test(m.subject));

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local webhook receiver: records every request; answers `status(n)` for the n-th (0-based). */
export async function startReceiver(status: (n: number) => number = () => 200): Promise<{ url: string; received: Received[]; close(): Promise<void>; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = received.length;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const code = status(n);
      res.writeHead(code, code >= 300 && code < 400 ? { location: "http://127.0.0.1:1/elsewhere" } : {});
      res.end(code >= 400 ? "nope" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, server, close: () => new Promise((r) => server.close(() => r())) };
}
