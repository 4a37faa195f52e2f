/**
 * Crash safety of rotate-deks, with the real CLI (dist/rotate-deks.mjs) as a child process that
 * is SIGKILLed: inside a tenant (as its KMS request arrives, with its transaction open), between
 * tenants, and at random moments. After every kill every value still decrypts; a final re-run
 * with the same cutoff completes the rotation.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startFakeKms, type FakeKms } from "../../../e2e/fakes/kms";
import { useAppEnv } from "../../../e2e/support/app-env";
import { seedCredential } from "../../../e2e/support/credentials";
import { insertTenants } from "../../../e2e/support/tenant-rows";
import { keyRings, readAllCredentials } from "../../../e2e/support/vault-check";
import { closeDatabase } from "../../db/client";
import { flushDecryptAudits } from "./decrypt-audit";

let fake: FakeKms;
let childEnv: Record<string, string>;
let tenants: string[];
const plaintexts = new Map<string, { access: string; refresh: string }>();
let cutoff: string;

beforeAll(async () => {
  fake = await startFakeKms();
  useAppEnv(fake.env());
  childEnv = { ...inject("testEnv"), ...fake.env(), LOG_LEVEL: "warn" };
  tenants = await insertTenants(10, "Crash");
  // One big tenant so a kill lands inside its transaction with many rows already rewritten.
  for (const [i, t] of tenants.entries())
    for (let j = 0; j < (i === 2 ? 60 : 2); j++) {
      const c = await seedCredential(t);
      plaintexts.set(c.id, { access: c.access, refresh: c.refresh });
    }
  // Every key predates the cutoff of the rotation under test.
  await new Promise((r) => setTimeout(r, 20));
  cutoff = new Date().toISOString();
});
afterAll(async () => {
  await flushDecryptAudits();
  await closeDatabase();
  await fake.close();
});

function startRotation(): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  let output = "";
  const args = [path.join("dist", "rotate-deks.mjs"), "--older-than", cutoff, "--concurrency", "1", ...tenants.flatMap((t) => ["--tenant", t])];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...childEnv }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  return { child, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))), output: () => output };
}

/** Kills the run as the n-th GenerateDataKey of this run arrives: that tenant's transaction is open. */
async function killAtNthNewKey(n: number): Promise<void> {
  const run = startRotation();
  let seen = 0;
  fake.onRequest = (op) => {
    if (op === "GenerateDataKey" && ++seen === n) run.child.kill("SIGKILL");
  };
  await run.exited;
  fake.onRequest = undefined;
}

async function expectEverythingReadable(): Promise<void> {
  const values = await readAllCredentials(tenants);
  expect(values.size).toBe(plaintexts.size);
  for (const [id, value] of values) expect({ access: value.access, refresh: value.refresh }).toEqual(plaintexts.get(id));
  for (const ring of (await keyRings(tenants)).values()) expect(ring.filter((k) => k.status === "active")).toHaveLength(1);
}

describe("rotate-deks crash safety", () => {
  it("survives SIGKILL inside a tenant, between tenants and at random points; a re-run completes", async () => {
    fake.setLatency(40);
    try {
      await killAtNthNewKey(1); // inside the very first tenant
      await expectEverythingReadable();
      await killAtNthNewKey(3); // two tenants committed, the big one (third) in flight
      await expectEverythingReadable();
      let rotated = [...(await keyRings(tenants)).values()].filter((r) => r.length > 1).length;
      expect(rotated).toBeGreaterThanOrEqual(1);
      expect(rotated).toBeLessThan(tenants.length);
      for (const delay of [500, 800, 1100]) {
        const run = startRotation();
        await new Promise((r) => setTimeout(r, delay));
        run.child.kill("SIGKILL");
        await run.exited;
        await expectEverythingReadable();
      }
      const final = startRotation();
      expect(await final.exited).toBe(0);
      expect(final.output()).toMatch(/rotate-deks: tenants=10 rotated=\d+ skipped=\d+ failed=0 values=\d+/);
      await expectEverythingReadable();
      const rings = await keyRings(tenants);
      for (const ring of rings.values()) {
        const active = ring.find((k) => k.status === "active")!;
        expect(active.createdAt.getTime()).toBeGreaterThanOrEqual(Date.parse(cutoff));
        expect(ring.filter((k) => k.status === "retired").length).toBe(ring.length - 1);
      }
      for (const value of (await readAllCredentials(tenants)).values()) {
        const tenantVersion = value.versions[0]!;
        expect(value.versions).toEqual([tenantVersion, tenantVersion]);
        expect(tenantVersion).toBeGreaterThanOrEqual(2);
      }
      // Exactly one rotation per tenant happened, however many runs were killed on the way.
      rotated = [...rings.values()].filter((r) => r.length === 2).length;
      expect(rotated).toBe(tenants.length);
      // Nothing left to do with this cutoff.
      const rerun = startRotation();
      expect(await rerun.exited).toBe(0);
      expect(rerun.output()).toContain("rotate-deks: tenants=10 rotated=0 skipped=10 failed=0 values=0");
    } finally {
      fake.setLatency(0);
    }
  }, 90_000);
});
