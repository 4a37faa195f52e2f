/**
 * The e-mail outbox: rows are written with the change that needs the mail (same transaction),
 * delivered right after commit, and retried with backoff by the worker (`deliverPendingEmails`).
 * A send failure never fails the request and never loses the invite or reset.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { emailOutbox } from "../../db/schema";
import { tenantsWithDueEmail } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { emailProvider, type SendOutcome } from "../../infra/email";
import { log } from "../../infra/log";
import { sealLink, unsealLink } from "./sealed-link";
import { renderEmail, type EmailTemplate } from "./templates";

/** After this many failed attempts a row is given up (status `failed`). */
export const MAX_EMAIL_ATTEMPTS = 8;
/** How long a request waits for its e-mail before answering anyway. */
const REQUEST_WAIT_MS = 3_000;
/** How long a claimed row is reserved for its sender before another may try (crash safety). */
const CLAIM_LEASE_SECONDS = 120;

/** Seconds to wait after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at 1 h. */
export const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(attempts - 1, 0), 3600);

export interface OutboxEmail {
  tenantId: string;
  template: EmailTemplate;
  recipient: string;
  /** Shown in the message; never secrets. */
  params: Record<string, string>;
  /** The link with the raw token; stored sealed only. */
  link: string;
  /** When the link stops working; the row is not retried after it. */
  expiresAt: Date;
}

/** Adds a message to the outbox inside the caller's transaction; returns the row id. */
export async function enqueueEmail(tx: Tx, email: OutboxEmail): Promise<string> {
  const id = randomUUID();
  await tx.insert(emailOutbox).values({
    id,
    tenantId: email.tenantId,
    template: email.template,
    recipient: email.recipient,
    params: email.params,
    sealedLink: sealLink(email.link, id),
    expiresAt: email.expiresAt,
  });
  return id;
}

type Claimed = typeof emailOutbox.$inferSelect;

/** Reserves due rows of one tenant (all, or the given ids): bumps attempts and the lease. */
async function claim(tenantId: string, limit: number, ids?: string[]): Promise<Claimed[]> {
  return withTenant(tenantId, async (tx) => {
    // A link past its expiry is useless: stop retrying and drop it.
    await tx
      .update(emailOutbox)
      .set({ status: "expired", sealedLink: null, updatedAt: sql`now()` })
      .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.expiresAt, sql`now()`)));
    const due = tx
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.status, "pending"),
          lte(emailOutbox.nextAttemptAt, sql`now()`),
          ids ? inArray(emailOutbox.id, ids) : undefined,
        ),
      )
      .orderBy(emailOutbox.nextAttemptAt)
      .limit(limit)
      .for("update", { skipLocked: true });
    return tx
      .update(emailOutbox)
      .set({
        attempts: sql`${emailOutbox.attempts} + 1`,
        nextAttemptAt: sql`now() + make_interval(secs => ${CLAIM_LEASE_SECONDS})`,
        updatedAt: sql`now()`,
      })
      .where(inArray(emailOutbox.id, due))
      .returning();
  });
}

/** A short, secret-free description of a failure for the row and the log. */
function failureText(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return `${error.name}${status ? ` (HTTP ${status})` : ""}: ${error.message}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

type Result = "sent" | "skipped" | "retry" | "failed";

async function sendOne(row: Claimed): Promise<Result> {
  const link = row.sealedLink ? unsealLink(row.sealedLink, row.id) : null;
  let outcome: SendOutcome | undefined;
  let error: string | undefined;
  if (!link) error = "the sealed link cannot be opened (signing key changed?)";
  else {
    try {
      outcome = await emailProvider().send(renderEmail(row.template as EmailTemplate, row.recipient, row.params, link));
    } catch (e) {
      error = failureText(e);
    }
  }
  const giveUp = !link || row.attempts >= MAX_EMAIL_ATTEMPTS;
  const result: Result = outcome ? outcome.status : giveUp ? "failed" : "retry";
  await withTenant(row.tenantId, (tx) =>
    tx
      .update(emailOutbox)
      .set(
        outcome
          ? {
              status: outcome.status,
              sealedLink: null,
              sentAt: outcome.status === "sent" ? sql`now()` : null,
              providerMessageId: outcome.status === "sent" ? outcome.messageId : null,
              lastError: outcome.status === "skipped" ? outcome.reason : null,
              updatedAt: sql`now()`,
            }
          : giveUp
            ? { status: "failed", sealedLink: null, lastError: error, updatedAt: sql`now()` }
            : {
                lastError: error,
                nextAttemptAt: sql`now() + make_interval(secs => ${retryDelaySeconds(row.attempts)})`,
                updatedAt: sql`now()`,
              },
      )
      .where(eq(emailOutbox.id, row.id)),
  );
  if (error)
    log.error("email delivery failed", {
      outbox_id: row.id,
      tenant_id: row.tenantId,
      template: row.template,
      attempts: row.attempts,
      will_retry: result === "retry",
      error,
    });
  return result;
}

/**
 * Tries to deliver the given rows now (right after the transaction that wrote them committed),
 * waiting at most `waitMs` for it: a slow provider delays the answer by no more than that, and the
 * attempt carries on in the background. Never throws: whatever goes wrong stays in the outbox for
 * the worker.
 */
export async function deliverNow(tenantId: string, ids: string[], waitMs = REQUEST_WAIT_MS): Promise<void> {
  const attempt = (async () => {
    for (const row of await claim(tenantId, ids.length, ids)) await sendOne(row);
  })().catch((error: unknown) =>
    log.error("email delivery deferred to the worker", { tenant_id: tenantId, error: failureText(error) }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
  await Promise.race([attempt, timeout]);
  clearTimeout(timer);
}

export interface DeliveryReport {
  sent: number;
  skipped: number;
  retry: number;
  failed: number;
}

/**
 * The worker's periodic job: sends every due outbox row (across tenants, a bounded batch per
 * call). Safe to run concurrently with itself and with request-time delivery (rows are claimed
 * with SKIP LOCKED and a lease).
 */
export async function deliverPendingEmails(options: { tenants?: number; perTenant?: number } = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, skipped: 0, retry: 0, failed: 0 };
  for (const tenantId of await tenantsWithDueEmail(options.tenants ?? 50)) {
    for (const row of await claim(tenantId, options.perTenant ?? 20)) report[await sendOne(row)]++;
  }
  return report;
}

/** Drops unsent messages whose link was just made useless (invite replaced or revoked, newer reset). */
export async function cancelPendingEmails(tx: Tx, template: EmailTemplate, recipient: string): Promise<void> {
  await tx
    .update(emailOutbox)
    .set({ status: "expired", sealedLink: null, updatedAt: sql`now()` })
    .where(and(eq(emailOutbox.template, template), eq(emailOutbox.recipient, recipient), eq(emailOutbox.status, "pending")));
}
