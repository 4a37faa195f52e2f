/** Bare tenants for in-process service tests, inserted as the owner (no sign-up flow needed). */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

export async function insertTenants(count: number, label = "Vault"): Promise<string[]> {
  const sql = postgres(inject("ownerDatabaseUrl"), { max: 1, onnotice: () => {} });
  try {
    const names = Array.from({ length: count }, () => `${label} ${randomUUID().slice(0, 8)}`);
    const rows = await sql<{ id: string }[]>`insert into tenants ${sql(names.map((name) => ({ name })))} returning id`;
    return rows.map((r) => r.id);
  } finally {
    await sql.end();
  }
}

/** An owner connection (sees every tenant; RLS does not bind the table owner) for assertions. */
export const ownerSql = () => postgres(inject("ownerDatabaseUrl"), { max: 2, onnotice: () => {} });
