/** rotate-deks in-process: everything re-encrypted, old versions retired, idempotent, failures contained. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeKms, type FakeKms } from "../../../e2e/fakes/kms";
import { useAppEnv } from "../../../e2e/support/app-env";
import { seedCredential } from "../../../e2e/support/credentials";
import { insertTenants, ownerSql } from "../../../e2e/support/tenant-rows";
import { keyRings, readAllCredentials } from "../../../e2e/support/vault-check";
import { closeDatabase } from "../../db/client";
import { eq } from "drizzle-orm";
import { platformCredentials } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { flushDecryptAudits } from "./decrypt-audit";
import { encryptSecret } from "./index";
import { rotateDataKeys } from "./rotation";

let fake: FakeKms;
let tenants: string[];
let empty: string;
const plaintexts = new Map<string, { access: string; refresh: string }>();

beforeAll(async () => {
  fake = await startFakeKms();
  useAppEnv(fake.env());
  tenants = await insertTenants(4, "Rotation");
  [empty] = (await insertTenants(1, "No secrets")) as [string];
  for (const t of tenants)
    for (let i = 0; i < 3; i++) {
      const c = await seedCredential(t);
      plaintexts.set(c.id, { access: c.access, refresh: c.refresh });
    }
});
afterAll(async () => {
  await flushDecryptAudits();
  await closeDatabase();
  await fake.close();
});

describe("rotate-deks", () => {
  it("re-encrypts every value under a new version per tenant and retires the old one", async () => {
    const before = await readAllCredentials(tenants);
    const summary = await rotateDataKeys({ tenantIds: [...tenants, empty] });
    expect(summary).toMatchObject({ tenants: 5, rotated: 4, skipped: 1, failed: 0, values: 24, failures: [] });
    const after = await readAllCredentials(tenants);
    expect(after.size).toBe(12);
    for (const [id, value] of after) {
      expect(value).toMatchObject(plaintexts.get(id)!);
      expect(value.versions).toEqual([2, 2]);
      expect(before.get(id)!.versions).toEqual([1, 1]);
    }
    for (const ring of (await keyRings(tenants)).values()) {
      expect(ring.map((k) => [k.version, k.status])).toEqual([
        [1, "retired"],
        [2, "active"],
      ]);
      expect(ring[0]!.retiredAt).toBeInstanceOf(Date);
      expect(ring[1]!.retiredAt).toBeNull();
    }
    expect((await keyRings([empty])).get(empty)).toEqual([]);
    const sql = ownerSql();
    try {
      const audits = await sql`select tenant_id, metadata from audit_logs where action = 'vault_key_rotated' and tenant_id = any(${tenants})`;
      expect(audits).toHaveLength(4);
      expect(audits[0]!.metadata).toEqual({ from_versions: [1], to_version: 2, values: 6, rewrapped_versions: [] });
    } finally {
      await sql.end();
    }
  });

  it("is idempotent for a cutoff: a re-run skips tenants rotated since; a later run rotates again", async () => {
    const cutoff = new Date(Date.now() - 60_000);
    const again = await rotateDataKeys({ tenantIds: tenants, olderThan: cutoff });
    expect(again).toMatchObject({ tenants: 4, rotated: 0, skipped: 4, failed: 0, values: 0 });
    const generated = fake.calls.GenerateDataKey;
    const later = await rotateDataKeys({ tenantIds: tenants });
    expect(later).toMatchObject({ rotated: 4, values: 24 });
    expect(fake.calls.GenerateDataKey).toBe(generated! + 4);
    for (const value of (await readAllCredentials(tenants)).values()) expect(value.versions).toEqual([3, 3]);
  });

  it("after a master-key change, rotation moves retired data keys to the new master key with ReEncrypt", async () => {
    const [t] = (await insertTenants(1, "Rekey")) as [string];
    const c = await seedCredential(t);
    useAppEnv(fake.env(1)); // KMS_KEY_ID now names the second key
    const reencrypts = fake.calls.ReEncrypt ?? 0;
    expect(await rotateDataKeys({ tenantIds: [t] })).toMatchObject({ rotated: 1, values: 2 });
    expect(fake.calls.ReEncrypt).toBe(reencrypts + 1);
    const ring = (await keyRings([t])).get(t)!;
    expect(ring.map((k) => [k.version, k.status, k.kmsKeyId])).toEqual([
      [1, "retired", fake.keyArn(1)],
      [2, "active", fake.keyArn(1)],
    ]);
    const [value] = (await readAllCredentials([t])).values();
    expect(value).toMatchObject({ access: c.access, refresh: c.refresh, versions: [2, 2] });
    useAppEnv(fake.env());
  });

  it("a secret changed while the tenant rotates is neither lost nor left unreadable", async () => {
    const [t] = (await insertTenants(1, "Concurrent")) as [string];
    const c = await seedCredential(t);
    const ctx = { tenantId: t, table: "platform_credentials", column: "access_token_enc", rowId: c.id };
    const write = (value: string, holdMs: number) =>
      withTenant(t, async (tx) => {
        const enc = await encryptSecret(tx, ctx, value);
        await tx.update(platformCredentials).set({ accessTokenEnc: enc }).where(eq(platformCredentials.id, c.id));
        await new Promise((r) => setTimeout(r, holdMs)); // the row stays locked meanwhile
      });
    // Writer first: rotation waits for the row lock, then re-encrypts the new value.
    const writer = write("refreshed-1", 300);
    await new Promise((r) => setTimeout(r, 50));
    const [, first] = await Promise.all([writer, rotateDataKeys({ tenantIds: [t] })]);
    expect(first).toMatchObject({ rotated: 1, values: 2 });
    let [value] = (await readAllCredentials([t])).values();
    expect(value).toMatchObject({ access: "refreshed-1", refresh: c.refresh, versions: [2, 2] });
    // Rotation first: the writer's value (sealed with the key it read) lands after; still readable.
    const rotation = rotateDataKeys({ tenantIds: [t] });
    const [second] = await Promise.all([rotation, write("refreshed-2", 0)]);
    expect(second).toMatchObject({ rotated: 1 });
    [value] = (await readAllCredentials([t])).values();
    expect(value!.access).toBe("refreshed-2");
  });

  it("a failing tenant is reported and the others still rotate", async () => {
    const [broken] = tenants as [string];
    const sql = ownerSql();
    try {
      // Damage one stored value of one tenant (as a bad restore might).
      await sql`update platform_credentials set refresh_token_enc = 'enc1:3:AAAAAAAAAAAAAAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA'
        where id = (select id from platform_credentials where tenant_id = ${broken} limit 1)`;
    } finally {
      await sql.end();
    }
    const summary = await rotateDataKeys({ tenantIds: tenants, retries: 1 });
    expect(summary).toMatchObject({ tenants: 4, rotated: 3, failed: 1, values: 18 });
    expect(summary.failures).toEqual([{ tenantId: broken, error: expect.stringMatching(/failed authentication/) }]);
    // The failed tenant is untouched (its transaction rolled back): still on version 3.
    const ring = (await keyRings([broken])).get(broken)!;
    expect(ring.filter((k) => k.status === "active").map((k) => k.version)).toEqual([3]);
    for (const t of tenants.slice(1)) for (const v of (await readAllCredentials([t])).values()) expect(v.versions).toEqual([4, 4]);
  });
});
