/**
 * /api/me/ and /api/users/ stay within two SQL statements whatever the page size. The app logs
 * `db_statements` on every request line; this test reads the server's log.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { api, createMember, createTenant } from "../support/api";

async function statementsFor(path: string, token: string): Promise<number> {
  const requestId = `stmt-${randomUUID()}`;
  const res = await api(path, { token, headers: { "x-request-id": requestId } });
  expect(res.status).toBe(200);
  for (let attempt = 0; attempt < 20; attempt++) {
    const line = readFileSync(inject("serverLog"), "utf8")
      .split("\n")
      .find((l) => l.includes(requestId));
    if (line) return JSON.parse(line).db_statements as number;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("request line not found in the server log");
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
