/** The browser's tRPC `connectors` router runs the same services as the REST lifecycle. */
import { createTRPCClient, httpBatchLink, type TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../../server/api/root";
import { baseUrl, createMember, createTenant } from "../support/api";
import { consent, fakeUser, seen } from "../support/connectors";

const client = (token: string) =>
  createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${baseUrl()}/api/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) })] });

describe("tRPC connectors", () => {
  it("start → completeCallback → selectAccount → provision → sync → statuses → jobs → disconnect", async () => {
    const t = await createTenant();
    const c = client(t.access);
    const before = await c.connectors.statuses.query();
    expect(before.map((s) => [s.provider, s.state])).toEqual([
      ["facebook_pages", "not_connected"],
      ["meta_ads", "not_connected"],
      ["google_ads", "not_connected"],
      ["ga4", "not_connected"],
      ["search_console", "not_connected"],
    ]);
    const user = fakeUser("trpc");
    const started = await c.connectors.start.mutate({ provider: "ga4" });
    const back = await consent(started.authorize_url, user);
    const step1 = await c.connectors.completeCallback.mutate({ provider: "ga4", code: back.get("code")!, state: back.get("state")! });
    expect(step1.status).toBe("selection_required");
    if (step1.status !== "selection_required") return;
    const step2 = await c.connectors.selectAccount.mutate({ provider: "ga4", selection_id: step1.selection_id, account_id: step1.options[1]!.id });
    expect(step2.credential.account_id).toBe(step1.options[1]!.id);

    const made = await c.connectors.provision.mutate({ provider: "ga4", schedule_type: "manual", is_active: true });
    expect(made.connection.schedule_type).toBe("manual");
    const queued = await c.connectors.sync.mutate({ provider: "ga4" });
    expect(queued.status).toBe("queued");
    for (let i = 0; i < 100; i++) {
      const s = await c.connectors.status.query({ provider: "ga4" });
      if (s.state === "connected") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const jobs = await c.connectors.jobs.query({ provider: "ga4", limit: 5 });
    expect(jobs.jobs[0]).toMatchObject({ job_id: queued.job_id, status: "succeeded" });
    const all = await c.connectors.statuses.query();
    expect(all.find((s) => s.provider === "ga4")!.state).toBe("connected");

    const gone = await c.connectors.disconnect.mutate({ provider: "ga4" });
    expect(gone).toEqual({ provider: "ga4", state: "not_connected", credentials_deleted: 1, connections_paused: 1, revoked: true });
    expect(await seen("google", "/revoke", user)).toHaveLength(1);
  });

  it("completeCallback and selectAccount take a Google Ads customer id with dashes and store its digits", async () => {
    const t = await createTenant();
    const c = client(t.access);
    const direct = await c.connectors.start.mutate({ provider: "google_ads" });
    const back = await consent(direct.authorize_url, fakeUser("trpc-dashes"));
    const named = await c.connectors.completeCallback.mutate({ provider: "google_ads", code: back.get("code")!, state: back.get("state")!, external_account_id: "987-654-3210" });
    expect(named.status === "connected" && named.credential.account_id).toBe("9876543210");

    const picked = await c.connectors.start.mutate({ provider: "google_ads" });
    const back2 = await consent(picked.authorize_url, fakeUser("trpc-picker"));
    const step1 = await c.connectors.completeCallback.mutate({ provider: "google_ads", code: back2.get("code")!, state: back2.get("state")! });
    if (step1.status !== "selection_required") throw new Error("expected a selection");
    const id = step1.options[0]!.id;
    const step2 = await c.connectors.selectAccount.mutate({ provider: "google_ads", selection_id: step1.selection_id, account_id: id.replace(/^(\d{3})(\d{3})/, "$1-$2-") });
    expect(step2.credential.account_id).toBe(id);
  });

  it("enforces roles and the REST validation messages", async () => {
    const t = await createTenant();
    const member = await createMember(t);
    const denied = await client(member.access).connectors.start.mutate({ provider: "ga4" }).catch((e: unknown) => e);
    expect((denied as TRPCClientError<AppRouter>).data?.code).toBe("FORBIDDEN");
    expect((await client(member.access).connectors.statuses.query()).length).toBe(5);
    const bad = await client(t.access).connectors.completeCallback.mutate({ provider: "ga4", code: "c", state: "unknown" }).catch((e: unknown) => e);
    expect((bad as TRPCClientError<AppRouter>).message).toBe("OAuth state is invalid.");
  });
});
