/** The fakes behave like the services they stand in for (shapes, PKCE, proofs, failures). */
import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_IDENTITIES as IDS, startFakes, type Fakes } from "./index";

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes.close());

const form = (data: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(data).toString(),
});

/** Follows the consent page's Allow link and returns the redirect's query. */
async function consent(authorizeUrl: string): Promise<URLSearchParams> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const href = html.match(/id="allow" href="([^"]+)"/)![1]!.replace(/&amp;/g, "&");
  const res = await fetch(new URL(href, authorizeUrl), { redirect: "manual" });
  return new URL(res.headers.get("location")!).searchParams;
}

describe("google fake", () => {
  it("runs consent → PKCE exchange → APIs → refresh → revoke", async () => {
    const verifier = "v".repeat(50);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const auth = new URL(fakes.env.GOOGLE_AUTH_URL!);
    for (const [k, v] of Object.entries({ client_id: IDS.google.clientId, redirect_uri: "http://app/cb", response_type: "code", scope: "a b", state: "s1", code_challenge: challenge, code_challenge_method: "S256", login_hint: "g-user" }))
      auth.searchParams.set(k, v);
    const back = await consent(auth.toString());
    expect(back.get("state")).toBe("s1");
    const base = { client_id: IDS.google.clientId, client_secret: IDS.google.clientSecret, redirect_uri: "http://app/cb", grant_type: "authorization_code" };
    const bad = await fetch(fakes.env.GOOGLE_TOKEN_URL!, form({ ...base, code: back.get("code")!, code_verifier: "wrong" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "invalid_grant", error_description: "Invalid code verifier." });

    const again = await consent(auth.toString());
    const ok = await fetch(fakes.env.GOOGLE_TOKEN_URL!, form({ ...base, code: again.get("code")!, code_verifier: verifier }));
    const tokens = await ok.json();
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    const replay = await fetch(fakes.env.GOOGLE_TOKEN_URL!, form({ ...base, code: again.get("code")!, code_verifier: verifier }));
    expect((await replay.json()).error).toBe("invalid_grant");

    const noDev = await fetch(`${fakes.env.GOOGLE_ADS_API_URL}/customers:listAccessibleCustomers`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(noDev.status).toBe(401);
    const customers = await fetch(`${fakes.env.GOOGLE_ADS_API_URL}/customers:listAccessibleCustomers`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, "developer-token": IDS.google.developerToken },
    });
    expect((await customers.json()).resourceNames).toHaveLength(2);
    const sites = await fetch(`${fakes.env.GOOGLE_SEARCH_CONSOLE_API_URL}/sites`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await sites.json()).siteEntry).toHaveLength(2);
    const summaries = await fetch(`${fakes.env.GOOGLE_ANALYTICS_ADMIN_API_URL}/accountSummaries`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await summaries.json()).accountSummaries[0].propertySummaries).toHaveLength(2);

    const refreshed = await fetch(fakes.env.GOOGLE_TOKEN_URL!, form({ client_id: IDS.google.clientId, client_secret: IDS.google.clientSecret, grant_type: "refresh_token", refresh_token: tokens.refresh_token }));
    expect(refreshed.status).toBe(200);
    await fetch(`${fakes.google.url}/__control/fail`, { method: "POST", body: JSON.stringify({ path: "/token", match: "g-user", mode: "invalid_grant" }) });
    const denied = await fetch(fakes.env.GOOGLE_TOKEN_URL!, form({ client_id: IDS.google.clientId, client_secret: IDS.google.clientSecret, grant_type: "refresh_token", refresh_token: tokens.refresh_token }));
    expect(await denied.json()).toEqual({ error: "invalid_grant", error_description: "Token has been expired or revoked." });

    expect((await fetch(fakes.env.GOOGLE_REVOKE_URL!, form({ token: tokens.refresh_token }))).status).toBe(200);
    const after = await fetch(`${fakes.env.GOOGLE_SEARCH_CONSOLE_API_URL}/sites`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await after.json()).error.status).toBe("UNAUTHENTICATED");
    const seen = await (await fetch(`${fakes.google.url}/__control/requests?path=/revoke&match=g-user`)).json();
    expect(seen.requests).toHaveLength(1);
  });

  it("fails on demand with 5xx, 429 and timeouts", async () => {
    await fetch(`${fakes.google.url}/__control/fail`, { method: "POST", body: JSON.stringify({ path: "/sites", match: "zzz", mode: "status", status: 429 }) });
    const res = await fetch(`${fakes.env.GOOGLE_SEARCH_CONSOLE_API_URL}/sites?zzz=1`);
    expect(res.status).toBe(429);
    await fetch(`${fakes.google.url}/__control/fail`, { method: "POST", body: JSON.stringify({ path: "/sites", match: "yyy", mode: "timeout" }) });
    await expect(fetch(`${fakes.env.GOOGLE_SEARCH_CONSOLE_API_URL}/sites?yyy=1`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });
});

describe("meta fake", () => {
  it("runs dialog → code → long-lived → pages/ad accounts with appsecret_proof → revoke", async () => {
    const v = "v20.0";
    const dialog = new URL(`${fakes.env.META_DIALOG_BASE_URL}/${v}/dialog/oauth`);
    for (const [k, val] of Object.entries({ client_id: IDS.meta.appId, redirect_uri: "http://app/cb", state: "st", response_type: "code", scope: "ads_read", login_hint: "m-user" }))
      dialog.searchParams.set(k, val);
    const back = await consent(dialog.toString());
    const graph = `${fakes.env.META_GRAPH_BASE_URL}/${v}`;
    const short = await (await fetch(`${graph}/oauth/access_token`, form({ client_id: IDS.meta.appId, client_secret: IDS.meta.appSecret, redirect_uri: "http://app/cb", code: back.get("code")! }))).json();
    const long = await (await fetch(`${graph}/oauth/access_token`, form({ grant_type: "fb_exchange_token", client_id: IDS.meta.appId, client_secret: IDS.meta.appSecret, fb_exchange_token: short.access_token }))).json();
    expect(long.expires_in).toBe(5184000);
    const proof = createHmac("sha256", IDS.meta.appSecret).update(long.access_token).digest("hex");
    const noProof = await fetch(`${graph}/me/accounts`, { headers: { authorization: `Bearer ${long.access_token}` } });
    expect((await noProof.json()).error.code).toBe(100);
    const pages = await (await fetch(`${graph}/me/accounts?appsecret_proof=${proof}`, { headers: { authorization: `Bearer ${long.access_token}` } })).json();
    expect(pages.data).toHaveLength(2);
    expect(pages.data[0].access_token).toMatch(/^EAAP-/);
    const accounts = await (await fetch(`${graph}/me/adaccounts?appsecret_proof=${proof}`, { headers: { authorization: `Bearer ${long.access_token}` } })).json();
    expect(accounts.data[0].id).toMatch(/^act_\d+$/);
    const del = await fetch(`${graph}/me/permissions?appsecret_proof=${proof}`, { method: "DELETE", headers: { authorization: `Bearer ${long.access_token}` } });
    expect(await del.json()).toEqual({ success: true });
    const dead = await (await fetch(`${graph}/me/adaccounts?appsecret_proof=${proof}`, { headers: { authorization: `Bearer ${long.access_token}` } })).json();
    expect(dead.error).toMatchObject({ code: 190, type: "OAuthException" });
  });
});

describe("airbyte fake", () => {
  it("creates a source and connection, then a job progresses over polls", async () => {
    const call = (path: string, body: unknown) =>
      fetch(`${fakes.env.AIRBYTE_API_URL}/v1/${path}`, { method: "POST", headers: { authorization: `Bearer ${IDS.airbyte.apiToken}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await fetch(`${fakes.env.AIRBYTE_API_URL}/v1/sources/list`, { method: "POST", body: "{}" })).status).toBe(401);
    const source = await call("sources/create", { workspaceId: IDS.workspaceId, sourceDefinitionId: "x", name: "s", connectionConfiguration: { a: 1 } });
    const conn = await call("connections/create", { sourceId: source.body.sourceId, destinationId: IDS.destinationId, name: "c", scheduleType: "cron", scheduleData: { cron: { cronExpression: "0 0 6-22 * * ?", cronTimeZone: "America/Jamaica" } }, status: "active" });
    expect(conn.status).toBe(200);
    const job = await call("connections/sync", { connectionId: conn.body.connectionId });
    const states = [];
    for (let i = 0; i < 4; i++) states.push((await call("jobs/get", { id: job.body.job.id })).body.job.status);
    expect(states).toEqual(["pending", "running", "succeeded", "succeeded"]);
    expect((await call("jobs/get", { id: 999999 })).status).toBe(404);
  });

  it("lists a connection's jobs and the unfinished jobs of workspaces as Airbyte does; jobs run by the clock", async () => {
    const call = (path: string, body: unknown) =>
      fetch(`${fakes.env.AIRBYTE_API_URL}/v1/${path}`, { method: "POST", headers: { authorization: `Bearer ${IDS.airbyte.apiToken}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const workspaceId = "0f9d2c1e-6b7a-4c3d-8e5f-1a2b3c4d5e6f";
    const source = await call("sources/create", { workspaceId, sourceDefinitionId: "x", name: "s", connectionConfiguration: { a: 1 } });
    const connections = [];
    for (const name of ["a", "b", "c"])
      connections.push((await call("connections/create", { sourceId: source.body.sourceId, destinationId: IDS.destinationId, name, status: "active" })).body.connectionId as string);
    const control = (path: string, body: unknown) => fetch(`${fakes.airbyte.url}/__fake/${path}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
    // By the clock: running however often it is read, until its time is up.
    await control("job-outcome", { connection_id: connections[0], outcome: "failed", failure_type: "config_error", message: "token expired", duration_ms: 400 });
    expect(await control("settings", { job_duration_ms: 60_000 })).toEqual({ job_duration_ms: 60_000 });
    const short = (await call("connections/sync", { connectionId: connections[0] })).body.job.id;
    const long = [(await call("connections/sync", { connectionId: connections[1] })).body.job.id, (await call("connections/sync", { connectionId: connections[2] })).body.job.id];
    expect(await control("settings", { job_duration_ms: null })).toEqual({ job_duration_ms: null });
    for (let i = 0; i < 3; i++) expect((await call("jobs/get", { id: short })).body.job.status).toBe("running");

    const running = (body: Record<string, unknown>) => call("jobs/list_for_workspaces", { workspaceIds: [workspaceId], configTypes: ["sync"], statuses: ["pending", "running", "incomplete"], ...body });
    const all = await running({ orderByField: "createdAt", orderByMethod: "ASC" });
    expect(all.body.jobs.map((j: any) => j.job.id)).toEqual([short, ...long]);
    // List items carry bare attempts (JobWithAttemptsRead); jobs/get wraps them with logs.
    expect(all.body.jobs[0].attempts[0]).toMatchObject({ status: "running", recordsSynced: 0 });
    const paged = await running({ pagination: { pageSize: 2, rowOffset: 2 }, orderByMethod: "ASC" });
    expect(paged.body).toMatchObject({ jobs: [{ job: { id: long[1] } }], totalJobCount: 1 });
    expect((await running({})).body.jobs[0].job.id).toBe(long[1]); // newest first by default
    expect((await running({ workspaceIds: ["2d8e9f00-0000-4000-8000-000000000000"] })).body.jobs).toEqual([]);
    expect((await call("jobs/list_for_workspaces", { workspaceIds: [workspaceId] })).status).toBe(422);

    await new Promise((r) => setTimeout(r, 450));
    expect((await running({ orderByMethod: "ASC" })).body.jobs.map((j: any) => j.job.id)).toEqual(long);
    const ended = await call("jobs/list", { configTypes: ["sync"], configId: connections[0] });
    expect(ended.body.jobs).toEqual([expect.objectContaining({ job: expect.objectContaining({ id: short, status: "failed" }), attempts: [expect.objectContaining({ failureSummary: expect.anything() })] })]);
    expect((await call("jobs/get", { id: short })).body.attempts[0].attempt.failureSummary.failures[0]).toMatchObject({ failureType: "config_error", externalMessage: "token expired" });

    // A job Airbyte lost answers 404 and leaves every list.
    await control("forget-job", { id: long[0] });
    expect((await call("jobs/get", { id: long[0] })).status).toBe(404);
    expect((await running({ orderByMethod: "ASC" })).body.jobs.map((j: any) => j.job.id)).toEqual([long[1]]);
  });
});
