/**
 * Reading the audit trail (ADMIN): a filtered, paginated list and a streamed CSV export.
 * Actors are joined from users of the same tenant; a deleted actor reads as null.
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { auditLogs, users } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import { toPage, offsetOf, type Page, type PageRequest } from "../pagination";
import { requireRole, type Principal } from "../accounts/principal";
import type { AuditFilter } from "./schemas";

export interface AuditLogView {
  id: string;
  tenant: string;
  user: { id: string; email: string } | null;
  action: string;
  resource_type: string;
  resource_id: string;
  metadata: Record<string, unknown>;
  created_at: Date;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Bounds for a filter value: a date means that whole day in TIME_ZONE; a date-time is exact. */
function lowerBound(value: string): SQL {
  return DATE_ONLY.test(value) ? sql`(${value}::date)::timestamp at time zone ${env().TIME_ZONE}` : sql`${value}::timestamptz`;
}
function upperBound(value: string): SQL {
  return DATE_ONLY.test(value)
    ? sql`(${value}::date + 1)::timestamp at time zone ${env().TIME_ZONE}`
    : sql`${value}::timestamptz`;
}

function conditions(tenantId: string, filter: AuditFilter): SQL {
  return and(
    eq(auditLogs.tenantId, tenantId),
    filter.action ? eq(auditLogs.action, filter.action) : undefined,
    filter.resource_type ? eq(auditLogs.resourceType, filter.resource_type) : undefined,
    filter.start_date ? sql`${auditLogs.createdAt} >= ${lowerBound(filter.start_date)}` : undefined,
    filter.end_date
      ? DATE_ONLY.test(filter.end_date)
        ? sql`${auditLogs.createdAt} < ${upperBound(filter.end_date)}`
        : sql`${auditLogs.createdAt} <= ${upperBound(filter.end_date)}`
      : undefined,
  )!;
}

const columns = {
  id: auditLogs.id,
  tenant: auditLogs.tenantId,
  userId: users.id,
  userEmail: users.email,
  action: auditLogs.action,
  resource_type: auditLogs.resourceType,
  resource_id: auditLogs.resourceId,
  metadata: auditLogs.metadata,
  created_at: auditLogs.createdAt,
};

type Row = { [K in keyof typeof columns]: (typeof columns)[K]["_"]["data"] } & { userId: string | null; userEmail: string | null };

const toView = ({ userId, userEmail, ...rest }: Row): AuditLogView => ({
  ...rest,
  user: userId ? { id: userId, email: userEmail ?? "" } : null,
});

/** GET /api/audit-logs/: newest first, one statement (the count rides along as a window). */
export async function listAuditLogs(principal: Principal, filter: AuditFilter, page: PageRequest): Promise<Page<AuditLogView>> {
  requireRole(principal, "ADMIN");
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx
      .select({ ...columns, total: sql<number>`count(*) over ()` })
      .from(auditLogs)
      .leftJoin(users, eq(users.id, auditLogs.userId))
      .where(conditions(principal.tenantId, filter))
      .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
      .limit(page.pageSize)
      .offset(offsetOf(page)),
  );
  const count = rows.length > 0 ? Number(rows[0]!.total) : 0;
  return toPage(
    page,
    count,
    rows.map(({ total: _t, ...row }) => toView(row as Row)),
  );
}

export const CSV_COLUMNS = ["id", "action", "resource_type", "resource_id", "user_email", "metadata", "created_at"] as const;

/** RFC 4180 quoting, plus a leading apostrophe on values a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const BATCH = 500;

/**
 * The export as CSV lines, fetched in keyset-paginated batches (newest first) so memory stays
 * flat however long the trail is. The role check happens before the first line is produced.
 */
export function exportAuditCsv(principal: Principal, filter: AuditFilter): AsyncGenerator<string> {
  requireRole(principal, "ADMIN");
  return (async function* () {
    yield CSV_COLUMNS.join(",") + "\r\n";
    // The cursor keeps Postgres's microseconds (a JS Date would round them off and skip rows).
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const cursor = after;
      const rows = await withTenant(principal.tenantId, (tx) =>
        tx
          .select({ ...columns, cursor: sql<string>`${auditLogs.createdAt}::text` })
          .from(auditLogs)
          .leftJoin(users, eq(users.id, auditLogs.userId))
          .where(
            and(
              conditions(principal.tenantId, filter),
              cursor
                ? sql`(${auditLogs.createdAt}, ${auditLogs.id}) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`
                : undefined,
            ),
          )
          .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
          .limit(BATCH),
      );
      if (rows.length === 0) return;
      yield rows
        .map((r) =>
          [r.id, r.action, r.resource_type, r.resource_id, r.userEmail ?? "", JSON.stringify(r.metadata ?? {}), r.created_at.toISOString()]
            .map(csvCell)
            .join(",") + "\r\n",
        )
        .join("");
      if (rows.length < BATCH) return;
      const last = rows[rows.length - 1]!;
      after = { createdAt: last.cursor, id: last.id };
    }
  })();
}
