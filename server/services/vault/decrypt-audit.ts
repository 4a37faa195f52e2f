/**
 * Decrypt audit events, batched: each decrypt is one `credential_decrypted` row, but rows are
 * buffered and written as one multi-row insert per tenant every FLUSH_MS or FLUSH_EVENTS, so
 * auditing does not cost a write per decrypt. Metadata names who, which job and why — never
 * the secret. Processes flush on shutdown (flushDecryptAudits); a crash loses at most one window.
 */
import { withTenant } from "../../db/tenant";
import { auditLogs } from "../../db/schema";
import { log } from "../../infra/log";
import type { SecretContext } from "./envelope";
import { onShutdown } from "../../infra/shutdown";

const FLUSH_MS = 1000;
const FLUSH_EVENTS = 200;
const INSERT_CHUNK = 500;

/** Who decrypts and why; every decrypt is audited (batched). `job` for worker jobs. */
export interface DecryptReason {
  actorUserId: string | null;
  job?: string;
  purpose: string;
}

type Row = typeof auditLogs.$inferInsert;

let pending = new Map<string, Row[]>();
let pendingCount = 0;
let timer: NodeJS.Timeout | undefined;
let inFlight: Promise<void> = Promise.resolve();

export function recordDecrypt(ctx: SecretContext, reason: DecryptReason, keyVersion: number): void {
  const row: Row = {
    tenantId: ctx.tenantId,
    userId: reason.actorUserId,
    action: "credential_decrypted",
    resourceType: ctx.table,
    resourceId: ctx.rowId,
    metadata: {
      actor: reason.actorUserId ? "user" : "system",
      job: reason.job ?? null,
      purpose: reason.purpose,
      column: ctx.column,
      key_version: keyVersion,
    },
  };
  const rows = pending.get(ctx.tenantId);
  if (rows) rows.push(row);
  else pending.set(ctx.tenantId, [row]);
  pendingCount += 1;
  if (pendingCount >= FLUSH_EVENTS) void flushDecryptAudits();
  else if (!timer) {
    timer = setTimeout(() => void flushDecryptAudits(), FLUSH_MS);
    // Buffered audits must not keep a finished CLI alive; its shutdown flushes explicitly.
    timer.unref();
  }
}

async function writeBatch(batch: Map<string, Row[]>): Promise<void> {
  for (const [tenantId, rows] of batch) {
    try {
      await withTenant(tenantId, async (tx) => {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insert(auditLogs).values(rows.slice(i, i + INSERT_CHUNK));
      });
    } catch (error) {
      // E.g. the tenant was deleted meanwhile. Dropping is logged so a gap is visible.
      log.warn("decrypt audit batch dropped", { tenant_id: tenantId, events: rows.length, error: (error as Error).message });
    }
  }
}

// The web server flushes on SIGTERM too (the worker and CLIs also flush explicitly).
onShutdown(() => flushDecryptAudits());

/** Writes everything buffered so far; resolves when those rows (and earlier batches) are stored. */
export function flushDecryptAudits(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const batch = pending;
  pending = new Map();
  pendingCount = 0;
  inFlight = inFlight.then(() => (batch.size ? writeBatch(batch) : undefined));
  return inFlight;
}
