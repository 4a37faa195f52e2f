/** Runs queries on a raw test connection inside one tenant's RLS context ("" = no tenant). */
import type postgres from "postgres";

export function inTenant<T>(sql: postgres.Sql, tenant: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenant}, true)`;
    return fn(tx);
  }) as Promise<T>;
}
