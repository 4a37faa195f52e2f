/**
 * Auto-pause with the production thresholds (20 failures over ≥ 4 days → warning; 30 over ≥ 7
 * days → paused here and in Airbyte, event + e-mail). Waiting a week is not an option, so the runs
 * are recorded in-process through the same `recordOutcome` the worker uses, with finish times six
 * hours apart; the connection, its credential, Airbyte (fake) and SES (fake) are real.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createTenant } from "../support/api";
import { releaseAppEnv, useAppEnv } from "../support/app-env";
import { airbyteState, connect, fakeUser, provision, status, until } from "../support/connectors";
import { events, mailWithSubject } from "../support/health";
import { withTenantThen } from "../../server/services/health/after-commit";
import { recordOutcome } from "../../server/services/connectors/sync-runner";

let owner: postgres.Sql;
beforeAll(() => {
  owner = postgres(inject("ownerDatabaseUrl"), { max: 2, onnotice: () => {} });
  useAppEnv();
});
afterAll(async () => {
  await owner.end();
  await releaseAppEnv();
});

const HOUR = 3_600_000;

describe("auto-pause", () => {
  it("warns once at 20 failures spanning ≥ 4 days, pauses at 30 spanning ≥ 7 days (Airbyte too), with one e-mail", async () => {
    const t = await createTenant();
    await connect(t, "google_ads", fakeUser("single-pause"));
    const made = await provision(t, "google_ads");
    const rowId = made.body.connection.id;
    const start = Date.now() - 8 * 24 * HOUR;
    for (let i = 0; i < 31; i++) {
      const [job] = await owner`insert into sync_jobs (tenant_id, connection_row_id, provider, status, trigger, airbyte_job_id)
                                values (${t.id}, ${rowId}, 'google_ads', 'running', 'airbyte', ${900_000 + i}) returning id`;
      await withTenantThen(t.id, (tx, after) =>
        recordOutcome(tx, t.id, job!.id, rowId, { status: "failed", error: "Destination unreachable", recordsSynced: 0, bytesSynced: 0, airbyteJobId: 900_000 + i, finishedAt: new Date(start + i * 6 * HOUR) }, after),
      );
    }
    const warnings = (await events(t, "?type=connection.warning")).results;
    expect(warnings).toHaveLength(1);
    // Six hours apart, 4 days are spanned from the 17th failure on: the count (20) decides.
    expect(warnings[0]!.data).toEqual({ consecutive_failures: 20, provider: "google_ads", connection_id: made.body.connection.connection_id, since: new Date(start).toISOString() });
    const paused = (await events(t, "?type=connection.paused")).results;
    expect(paused).toHaveLength(1);
    expect(paused[0]!.data).toEqual({ provider: "google_ads", connection_id: made.body.connection.connection_id, consecutive_failures: 30, since: new Date(start).toISOString() });
    expect((await events(t, "?type=sync.failed")).count).toBe(31);

    expect((await status(t, "google_ads")).body.state).toBe("paused");
    const remote = await until(airbyteState, (s) => s.connections.find((c) => c.connectionId === made.body.connection.connection_id)?.status === "inactive");
    expect(remote.connections.find((c) => c.connectionId === made.body.connection.connection_id)!.status).toBe("inactive");
    const mails = await until(() => mailWithSubject(t, /was paused/), (m) => m.length > 0);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Google Ads was paused after repeated failures");
    expect(mails[0]!.text).toContain("30 syncs");
    const [row] = await owner`select consecutive_failures, health_alert, is_active from airbyte_connections where id = ${rowId}`;
    expect(row).toEqual({ consecutive_failures: 31, health_alert: "paused", is_active: false });
  });
});
