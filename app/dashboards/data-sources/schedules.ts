/** The schedule choices offered when provisioning; values map onto `provision`'s schedule fields. */
export const SCHEDULES = [
  { id: "hourly-daytime", label: "Every hour, 6 am – 10 pm (Jamaica)", input: { schedule_type: "cron", cron_expression: "0 6-22 * * *" } },
  { id: "every-6-hours", label: "Every 6 hours", input: { schedule_type: "interval", interval_minutes: 360 } },
  { id: "daily", label: "Daily at 6 am (Jamaica)", input: { schedule_type: "cron", cron_expression: "0 6 * * *" } },
  { id: "manual", label: "Only when someone clicks Sync now", input: { schedule_type: "manual" } },
] as const;

export type ScheduleId = (typeof SCHEDULES)[number]["id"];

/** A connection's schedule in words. */
export function describeSchedule(c: { schedule_type: string; interval_minutes: number | null; cron_expression: string | null }): string {
  const known = SCHEDULES.find((s) => s.input.schedule_type === c.schedule_type && ("cron_expression" in s.input ? s.input.cron_expression === c.cron_expression : "interval_minutes" in s.input ? s.input.interval_minutes === c.interval_minutes : true));
  if (known) return known.label;
  if (c.schedule_type === "interval") return `Every ${c.interval_minutes} minutes`;
  if (c.schedule_type === "cron") return `Cron ${c.cron_expression}`;
  return "Manual";
}
