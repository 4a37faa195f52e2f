/** Helpers for the team-management tests: roles for members, mail captured by the SES fake, owner SQL. */
import { createHash } from "node:crypto";
import { inject } from "vitest";
import type { CapturedEmail } from "../fakes/ses";
import { api, createMember, type TestTenant } from "./api";

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A member of `tenant` holding exactly `role` (or no role). */
export async function memberWithRole(tenant: TestTenant, role: "ADMIN" | "ANALYST" | "VIEWER" | null) {
  const member = await createMember(tenant);
  if (role) {
    const res = await api("/api/roles/assign/", { token: tenant.access, body: { user: member.id, role } });
    if (res.status !== 201) throw new Error(`assign failed: ${res.status} ${res.text}`);
  }
  return member;
}

export async function mailTo(address: string): Promise<CapturedEmail[]> {
  const res = await fetch(`${inject("sesFakeUrl")}/_fake/messages?to=${encodeURIComponent(address)}`);
  return (await res.json()) as CapturedEmail[];
}

/** Waits until the fake has received `count` messages for `address` (delivery may follow the answer). */
export async function waitForMail(address: string, count = 1, timeoutMs = 10_000): Promise<CapturedEmail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await mailTo(address);
    if (messages.length >= count || Date.now() > deadline) return messages;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Makes the fake fail the next `count` sends to `recipient` with `status`. */
export async function failMailTo(recipient: string, count: number, status = 500): Promise<void> {
  await fetch(`${inject("sesFakeUrl")}/_fake/fail`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipient, count, status }),
  });
}

export const tokenFrom = (text: string, path: string) => {
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_%-]+)`).exec(text);
  return match ? decodeURIComponent(match[1]!) : null;
};

// The database as its owner (bypasses RLS): for arranging expiry and checking what was stored.
export { ownerSql } from "./tenant-rows";
