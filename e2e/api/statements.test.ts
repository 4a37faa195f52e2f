/**
 * /api/me/ and /api/users/ stay within two SQL statements whatever the page size. The app logs
 * `db_statements` on every request line; this test reads the server's log.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { api, createMember, createTenant } from "../support/api";

/** The server's log line of a request (the logger writes asynchronously: waits up to 2 s for it). */
async function logLineOf(requestId: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const line = readFileSync(inject("serverLog"), "utf8")
      .split("\n")
      .find((l) => l.includes(requestId));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("request line not found in the server log");
}

async function statementsFor(path: string, token: string): Promise<number> {
  const requestId = `stmt-${randomUUID()}`;
  const res = await api(path, { token, headers: { "x-request-id": requestId } });
  expect(res.status).toBe(200);
  return (await logLineOf(requestId)).db_statements as number;
}

describe("SQL statements per request", () => {
  it("GET /api/me/ runs one statement, GET /api/users/ two, for 1 or 8 users", async () => {
    const t = await createTenant();
    // me: the principal query (user + roles) is the whole answer.
    expect(await statementsFor("/api/me/", t.access)).toBe(1);
    // users: the principal, then one windowed page query (rows, roles and count together).
    expect(await statementsFor("/api/users/", t.access)).toBe(2);
    await Promise.all(Array.from({ length: 7 }, () => createMember(t)));
    expect(await statementsFor("/api/users/?page_size=500", t.access)).toBe(2);
  });
});

describe("SQL statements per request: team lists", () => {
  it("GET /api/user-roles/ and GET /api/audit-logs/ run two statements (principal + one windowed page)", async () => {
    const t = await createTenant();
    await Promise.all(Array.from({ length: 5 }, () => createMember(t)));
    expect(await statementsFor("/api/user-roles/", t.access)).toBe(2);
    expect(await statementsFor("/api/audit-logs/?page_size=200", t.access)).toBe(2);
    expect(await statementsFor("/api/audit-logs/?action=user_created&start_date=2020-01-01", t.access)).toBe(2);
  });
});

describe("SQL statements per request: tRPC batches", () => {
  it("a batch authenticates once: 20 members.list calls are 1 principal query + 20 list queries, and the log line names the caller", async () => {
    const t = await createTenant();
    const calls = Array.from({ length: 20 }, () => "members.list").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, {}]))));
    const single = await statementsFor(`/api/trpc/members.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: {} }))}`, t.access);
    const perCall = single - 1;
    const requestId = `stmt-${randomUUID()}`;
    const res = await api(`/api/trpc/${calls}?batch=1&input=${input}`, { token: t.access, headers: { "x-request-id": requestId } });
    expect(res.status).toBe(200);
    const line = await logLineOf(requestId);
    expect(line.db_statements).toBe(1 + 20 * perCall);
    expect(line).toMatchObject({ user_id: t.adminId, tenant_id: t.id });
    // The tRPC input is never logged (it may hold tokens).
    expect(line.path).toContain("input=%5Bredacted%5D");
  });
});
