/**
 * Moves connections provisioned before tenants had namespaces of their own (api.md §0.15) into
 * their tenant's namespace and account prefix: one Airbyte `connections/update` each, then the
 * row records the placement. Idempotent: connections already in place are skipped, so a re-run
 * after a failure finishes the job. Provisioning does the same for the connection it touches.
 */
import { and, eq } from "drizzle-orm";
import { airbyteConnections } from "../../db/schema";
import { listConnectionPlacements } from "../../db/system";
import { withTenant } from "../../db/tenant";
import * as airbyte from "../../infra/airbyte/client";
import { AppError } from "../errors";
import { runPool } from "../run-pool";
import { warehousePlacement } from "./warehouse";

export interface IsolationSummary {
  connections: number;
  alreadyIsolated: number;
  moved: number;
  failed: number;
}

export interface IsolationOptions {
  dryRun?: boolean;
  concurrency?: number;
  /** Called once per connection that is (or would be) moved, or failed. */
  onConnection?: (c: { tenantId: string; connectionId: string; namespace: string; prefix: string }, outcome: "moved" | "would move" | Error) => void;
}

export async function isolateWarehouse(options: IsolationOptions = {}): Promise<IsolationSummary> {
  const rows = await listConnectionPlacements();
  const summary: IsolationSummary = { connections: rows.length, alreadyIsolated: 0, moved: 0, failed: 0 };
  const pending = rows
    .map((row) => ({ row, placement: warehousePlacement(row.tenantId, row.provider, row.accountId) }))
    .filter(({ row, placement }) => row.namespaceFormat !== placement.namespaceFormat || row.streamPrefix !== placement.prefix);
  summary.alreadyIsolated = rows.length - pending.length;

  await runPool(pending, options.concurrency ?? 4, async ({ row, placement }) => {
    const report = { tenantId: row.tenantId, connectionId: row.connectionId, namespace: placement.namespaceFormat, prefix: placement.prefix };
    if (options.dryRun) return options.onConnection?.(report, "would move");
    try {
      await airbyte.updateConnection({ connectionId: row.connectionId, ...placement });
      await withTenant(row.tenantId, (tx) =>
        tx
          .update(airbyteConnections)
          .set({ namespaceFormat: placement.namespaceFormat, streamPrefix: placement.prefix })
          .where(and(eq(airbyteConnections.id, row.id), eq(airbyteConnections.tenantId, row.tenantId))),
      );
      summary.moved++;
      options.onConnection?.(report, "moved");
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      summary.failed++;
      options.onConnection?.(report, new Error(error.detail));
    }
  });
  return summary;
}
