/**
 * Five-field cron (minute hour day-of-month month day-of-week) → Airbyte's Quartz cron
 * (seconds first, `?` in one of the day fields, Sunday = 1), plus the validation the provision
 * endpoint reports.
 */
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

function validPart(part: string, field: (typeof FIELDS)[number]): boolean {
  const [range, step, extra] = part.split("/");
  if (extra !== undefined || range === undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === "*") return true;
  const names: readonly string[] = "names" in field ? field.names : [];
  const value = (v: string) => (/^\d+$/.test(v) ? Number(v) : names.indexOf(v.toUpperCase()) + (field.name === "month" ? 1 : 0));
  const bounds = range.split("-");
  if (bounds.length > 2) return false;
  const nums = bounds.map(value);
  if (nums.some((n, i) => !Number.isInteger(n) || n < field.min || n > field.max || (!/^\d+$/.test(bounds[i]!) && names.indexOf(bounds[i]!.toUpperCase()) < 0)))
    return false;
  return nums.length === 1 || nums[0]! <= nums[1]!;
}

/** The problem with a five-field expression, or null when it is valid. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return "Enter a cron expression with 5 fields (minute hour day-of-month month day-of-week).";
  for (let i = 0; i < 5; i++) {
    const field = FIELDS[i]!;
    if (!parts[i]!.split(",").every((p) => validPart(p, field))) return `Invalid ${field.name} field in cron expression.`;
  }
  if (parts[2] !== "*" && parts[4] !== "*") return "Cron expressions may restrict day of month or day of week, not both.";
  return null;
}

/** Shifts numeric day-of-week values from cron (Sunday 0 or 7) to Quartz (Sunday 1). */
function quartzDayOfWeek(field: string): string {
  return field.replace(/\d+/g, (n, offset: number, whole: string) => {
    if (whole[offset - 1] === "/") return n; // a step, not a day
    const day = Number(n) % 7;
    return String(day + 1);
  });
}

export function toQuartz(expression: string): string {
  const [minute, hour, dom, month, dow] = expression.trim().split(/\s+/) as [string, string, string, string, string];
  const dayOfMonth = dom === "*" && dow !== "*" ? "?" : dom;
  const dayOfWeek = dow === "*" ? "?" : quartzDayOfWeek(dow);
  return `0 ${minute} ${hour} ${dayOfMonth} ${month} ${dayOfWeek}`;
}

/** The zone Airbyte runs our cron schedules in (the business's local time). */
export const CRON_TIME_ZONE = "America/Jamaica";
