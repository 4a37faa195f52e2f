/**
 * A connection's sync schedule, and who runs it. With SYNC_SCHEDULER=airbyte (the spec's default)
 * the cron or interval is sent to Airbyte, which starts the runs itself; the worker's sync sweep
 * looks for each run shortly after it was due and records it in `sync_jobs`. With
 * SYNC_SCHEDULER=worker Airbyte gets a manual schedule and the sweep starts each run when
 * `next_sync_at` is due. Either way every run ends up in `sync_jobs` (status, timings,
 * needs_reauth). The owner is
 * recorded per connection at provision time: changing the setting affects connections as they are
 * provisioned again, and never leaves one connection scheduled by both.
 */
import { CronExpressionParser } from "cron-parser";
import { CRON_TIME_ZONE, toQuartz } from "../../infra/airbyte/cron";
import { DEFAULT_CRON, type ProvisionInput } from "./schemas";

export type ScheduleOwner = "airbyte" | "worker";

export interface StoredSchedule {
  scheduleType: string;
  intervalMinutes: number | null;
  cronExpression: string | null;
}

/** The first run strictly after `after`, or null for a manual schedule. */
export function nextRunAfter(schedule: StoredSchedule, after: Date): Date | null {
  if (schedule.scheduleType === "interval" && schedule.intervalMinutes) return new Date(after.getTime() + schedule.intervalMinutes * 60_000);
  if (schedule.scheduleType === "cron" && schedule.cronExpression)
    return CronExpressionParser.parse(schedule.cronExpression, { currentDate: after, tz: CRON_TIME_ZONE }).next().toDate();
  return null;
}

/**
 * The run after a due one. Intervals keep their cadence from the slot that was due; slots missed
 * while the worker was down are skipped (one catch-up run, never a burst).
 */
export function nextRunAfterDue(schedule: StoredSchedule, due: Date, now: Date): Date | null {
  const next = nextRunAfter(schedule, schedule.scheduleType === "interval" ? due : now);
  if (next && next.getTime() <= now.getTime()) return nextRunAfter(schedule, now);
  return next;
}

/** What provision sends to Airbyte and stores for a schedule input. */
export function schedulePlan(input: Pick<ProvisionInput, "schedule_type" | "interval_minutes" | "cron_expression">, owner: ScheduleOwner, now = new Date()) {
  const stored: StoredSchedule =
    input.schedule_type === "manual"
      ? { scheduleType: "manual", intervalMinutes: null, cronExpression: null }
      : input.schedule_type === "interval"
        ? { scheduleType: "interval", intervalMinutes: input.interval_minutes!, cronExpression: null }
        : { scheduleType: "cron", intervalMinutes: null, cronExpression: input.cron_expression ?? DEFAULT_CRON };
  const managedBy: ScheduleOwner = stored.scheduleType === "manual" ? "airbyte" : owner;
  // Kept for both owners: for Airbyte-scheduled connections it tells the sweep when to look for the run.
  const row = { ...stored, scheduleManagedBy: managedBy, nextSyncAt: nextRunAfter(stored, now) };
  if (stored.scheduleType === "manual" || managedBy === "worker") return { airbyte: { scheduleType: "manual" as const }, row };
  if (stored.scheduleType === "interval")
    return { airbyte: { scheduleType: "basic" as const, scheduleData: { basicSchedule: { timeUnit: "minutes", units: stored.intervalMinutes! } } }, row };
  return { airbyte: { scheduleType: "cron" as const, scheduleData: { cron: { cronExpression: toQuartz(stored.cronExpression!), cronTimeZone: CRON_TIME_ZONE } } }, row };
}
