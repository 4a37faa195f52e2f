/**
 * Full connect → provision → sync → disconnect cycles against a running app wired to the fakes
 * (`npm run demo`), per provider, printing a table of timings. Measures the product's own work:
 * the fakes answer instantly, so the numbers are our API, DB, vault, queue and worker polling.
 *
 *   npm run demo &            # or any app + worker configured with the fakes
 *   npm run bench -- connectors-cycle [--base http://localhost:3000] [--cycles 5]
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { base: { type: "string", default: "http://localhost:3000" }, cycles: { type: "string", default: "5" }, email: { type: "string", default: "admin@example.com" }, password: { type: "string", default: "admin1" } } });
const base = values.base!;
const PROVIDERS = ["facebook_pages", "meta_ads", "google_ads", "ga4", "search_console"];

async function call(path: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 400) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function consent(authorizeUrl: string, user: string) {
  const url = new URL(authorizeUrl);
  url.searchParams.set("login_hint", user);
  const html = await (await fetch(url)).text();
  const href = html.match(/id="allow" href="([^"]+)"/)![1]!.replace(/&amp;/g, "&");
  const res = await fetch(new URL(href, url), { redirect: "manual" });
  return new URL(res.headers.get("location")!).searchParams;
}

async function cycle(token: string, provider: string, n: number) {
  const steps: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    steps[name] = now - mark;
    mark = now;
  };
  const started = performance.now();
  const start = await call(`/api/integrations/${provider}/oauth/start/`, token, {});
  const back = await consent(start.authorize_url, `bench-${provider}-${n}-${Date.now()}`);
  let done = await call(`/api/integrations/${provider}/oauth/callback/`, token, { code: back.get("code"), state: back.get("state") });
  if (done.status === "selection_required")
    done = await call(`/api/integrations/${provider}/oauth/callback/`, token, { selection_id: done.selection_id, account_id: done.options[0].id });
  lap("connect");
  await call(`/api/integrations/${provider}/provision/`, token, {});
  lap("provision");
  await call(`/api/integrations/${provider}/sync/`, token, {});
  for (;;) {
    const s = await call(`/api/integrations/${provider}/status/`, token);
    if (s.state === "connected" || s.state === "error") break;
    await new Promise((r) => setTimeout(r, 25));
  }
  lap("sync");
  await call(`/api/integrations/${provider}/disconnect/`, token, {});
  lap("disconnect");
  return { total: performance.now() - started, steps };
}

const login = await (await fetch(`${base}/api/token/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: values.email, password: values.password }) })).json();
const token = login.access as string;
const cycles = Number(values.cycles);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[][] = [];
for (const provider of PROVIDERS) {
  const runs: Awaited<ReturnType<typeof cycle>>[] = [];
  for (let i = 0; i < cycles; i++) runs.push(await cycle(token, provider, i));
  const col = (k: string) => median(runs.map((r) => r.steps[k]!)).toFixed(0);
  rows.push([provider, String(cycles), col("connect"), col("provision"), col("sync"), col("disconnect"), median(runs.map((r) => r.total)).toFixed(0), Math.max(...runs.map((r) => r.total)).toFixed(0)]);
}
const header = ["provider", "cycles", "connect ms", "provision ms", "sync ms", "disconnect ms", "total ms (median)", "total ms (max)"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log([line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n"));
