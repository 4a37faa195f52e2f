/**
 * The vault against the real database (as the app's login role, under forced RLS) and the fake
 * AWS KMS: round trips, location binding, tampering, race-safe key creation, batched audit.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeKms, type FakeKms } from "../../../e2e/fakes/kms";
import { useAppEnv } from "../../../e2e/support/app-env";
import { insertTenants, ownerSql } from "../../../e2e/support/tenant-rows";
import { closeDatabase } from "../../db/client";
import { platformCredentials, tenantDataKeys } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { kms } from "../../infra/kms";
import { clearDataKeyCache } from "./dek-cache";
import { sealWith } from "./envelope";
import { decryptSecret, encryptSecret, flushDecryptAudits, VaultError, type SecretContext } from "./index";

let fake: FakeKms;
let a: string;
let b: string;
const reason = { actorUserId: null, job: "vault-test", purpose: "test round trip" };

beforeAll(async () => {
  fake = await startFakeKms();
  useAppEnv(fake.env());
  [a, b] = (await insertTenants(2)) as [string, string];
});
afterAll(async () => {
  await flushDecryptAudits();
  await closeDatabase();
  await fake.close();
});

const at = (tenantId: string, rowId: string = randomUUID(), column = "access_token_enc"): SecretContext => ({
  tenantId,
  table: "platform_credentials",
  column,
  rowId,
});

async function storeCredential(tenantId: string, token: string): Promise<{ id: string; ciphertext: string }> {
  const id = randomUUID();
  return withTenant(tenantId, async (tx) => {
    const ciphertext = await encryptSecret(tx, at(tenantId, id), token);
    await tx.insert(platformCredentials).values({ id, tenantId, provider: "google_ads", accountId: id.slice(0, 8), accessTokenEnc: ciphertext });
    return { id, ciphertext };
  });
}

const decryptAt = (ctx: SecretContext, ciphertext: string) => withTenant(ctx.tenantId, (tx) => decryptSecret(tx, ctx, ciphertext, reason));

describe("vault", () => {
  it("round-trips per tenant, with a versioned record and never the plaintext", async () => {
    for (const tenant of [a, b]) {
      const secret = `ya29.${randomUUID()}-é-✓`;
      const { id, ciphertext } = await storeCredential(tenant, secret);
      expect(ciphertext).toMatch(/^enc1:1:[\w-]+:[\w-]+:[\w-]+$/);
      expect(ciphertext).not.toContain(secret);
      expect(await decryptAt(at(tenant, id), ciphertext)).toBe(secret);
    }
    const keys = await withTenant(a, (tx) => tx.select().from(tenantDataKeys));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ tenantId: a, version: 1, status: "active", kmsProvider: "aws", kmsKeyId: fake.keyArn() });
  });

  it("encrypting the same value twice gives different ciphertexts", async () => {
    const ctx = at(a);
    const [x, y] = await withTenant(a, async (tx) => [await encryptSecret(tx, ctx, "same"), await encryptSecret(tx, ctx, "same")]);
    expect(x).not.toBe(y);
  });

  it("a ciphertext copied to another row, column, table or tenant does not decrypt", async () => {
    const { id, ciphertext } = await storeCredential(a, "secret-a");
    const moves: SecretContext[] = [
      at(a, randomUUID()),
      at(a, id, "refresh_token_enc"),
      { ...at(a, id), table: "other_table" },
      at(b, id),
    ];
    for (const ctx of moves) await expect(decryptAt(ctx, ciphertext)).rejects.toBeInstanceOf(VaultError);
    // And the original location still works.
    expect(await decryptAt(at(a, id), ciphertext)).toBe("secret-a");
  });

  it("tampering with any part of the record fails", async () => {
    const { id, ciphertext } = await storeCredential(a, "tamper-me-please");
    const parts = ciphertext.split(":");
    const flip = (s: string) => {
      const bytes = Buffer.from(s, "base64url");
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString("base64url");
    };
    const tampered = [2, 3, 4].map((i) => parts.map((p, j) => (j === i ? flip(p) : p)).join(":"));
    tampered.push(["enc1", "2", ...parts.slice(2)].join(":"));
    tampered.push(ciphertext.slice(0, -2), "plain-text", "enc1:0:a:b:c", "");
    for (const bad of tampered) await expect(decryptAt(at(a, id), bad)).rejects.toBeInstanceOf(VaultError);
  });

  it("a tenant's wrapped data key does not unwrap for another tenant (KMS encryption context)", async () => {
    const [c, d] = (await insertTenants(2)) as [string, string];
    await storeCredential(c, "c-secret");
    const [wrapped] = await withTenant(c, (tx) => tx.select().from(tenantDataKeys));
    // Plant c's wrapped key as d's version 1, as an attacker with table access could.
    await withTenant(d, (tx) => tx.insert(tenantDataKeys).values({ ...wrapped!, id: undefined, tenantId: d }));
    clearDataKeyCache();
    const before = fake.calls.Decrypt ?? 0;
    const forged = await withTenant(c, (tx) => encryptSecret(tx, at(c, "row"), "x"));
    await expect(decryptAt(at(d, "row"), forged)).rejects.toThrow(/InvalidCiphertextException/);
    expect(fake.calls.Decrypt).toBeGreaterThan(before);
  });

  it("concurrent first use of a tenant creates exactly one data key", async () => {
    const [fresh] = (await insertTenants(1)) as [string];
    clearDataKeyCache();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => withTenant(fresh, (tx) => encryptSecret(tx, at(fresh, `r${i}`), `v${i}`))),
    );
    const keys = await withTenant(fresh, (tx) => tx.select().from(tenantDataKeys));
    expect(keys.map((k) => k.version)).toEqual([1]);
    clearDataKeyCache();
    for (const [i, c] of results.entries()) expect(await decryptAt(at(fresh, `r${i}`), c)).toBe(`v${i}`);
  });

  it("a data key from a rolled-back transaction is never used for the version another process created", async () => {
    const [t] = (await insertTenants(1)) as [string];
    const rolledBack = withTenant(t, async (tx) => {
      await encryptSecret(tx, at(t, "r"), "lost");
      throw new Error("roll back");
    });
    await expect(rolledBack).rejects.toThrow("roll back");
    // Meanwhile another process creates version 1 with its own key and encrypts with it.
    const theirs = await kms().generateDataKey(t);
    await withTenant(t, (tx) =>
      tx.insert(tenantDataKeys).values({ tenantId: t, version: 1, kmsProvider: "aws", kmsKeyId: theirs.keyId, wrappedKey: theirs.wrapped.toString("base64") }),
    );
    const fromThem = sealWith(theirs.plaintext, 1, at(t, "r"), "theirs");
    expect(await decryptAt(at(t, "r"), fromThem)).toBe("theirs");
    const ours = await withTenant(t, (tx) => encryptSecret(tx, at(t, "s"), "ours"));
    clearDataKeyCache();
    expect(await decryptAt(at(t, "s"), ours)).toBe("ours");
  });

  it("a warm cache decrypts without calling KMS again", async () => {
    const { id, ciphertext } = await storeCredential(b, "cached");
    clearDataKeyCache();
    const before = fake.calls.Decrypt ?? 0;
    for (let i = 0; i < 20; i++) expect(await decryptAt(at(b, id), ciphertext)).toBe("cached");
    expect((fake.calls.Decrypt ?? 0) - before).toBe(1);
  });

  it("audits every decrypt in batches: who, which job, why — never the secret", async () => {
    const secret = `audit-${randomUUID()}`;
    const { id, ciphertext } = await storeCredential(a, secret);
    const user = randomUUID();
    await withTenant(a, async (tx) => {
      await decryptSecret(tx, at(a, id), ciphertext, { actorUserId: user, purpose: "push to airbyte" });
      await decryptSecret(tx, at(a, id), ciphertext, { actorUserId: null, job: "token-refresh", purpose: "refresh access token" });
    });
    await flushDecryptAudits();
    const sql = ownerSql();
    try {
      const rows = await sql`select tenant_id, user_id, action, resource_type, resource_id, metadata from audit_logs
        where action = 'credential_decrypted' and resource_id = ${id} order by created_at, user_id nulls last`;
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ tenant_id: a, user_id: user, resource_type: "platform_credentials" });
      expect(rows[0]!.metadata).toMatchObject({ actor: "user", job: null, purpose: "push to airbyte", column: "access_token_enc", key_version: 1 });
      expect(rows[1]).toMatchObject({ user_id: null });
      expect(rows[1]!.metadata).toMatchObject({ actor: "system", job: "token-refresh", purpose: "refresh access token" });
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(rows)).not.toContain(ciphertext);
    } finally {
      await sql.end();
    }
  });

  it("stores only ciphertext in the credential row", async () => {
    const { id } = await storeCredential(b, "row-secret");
    const [row] = await withTenant(b, (tx) => tx.select().from(platformCredentials).where(and(eq(platformCredentials.id, id))));
    expect(row!.accessTokenEnc).toMatch(/^enc1:/);
    expect(row!.tokenStatus).toBe("valid");
    expect(row!.grantedScopes).toEqual([]);
  });
});
