import { describe, expect, it } from "vitest";
import { cronProblem, toQuartz } from "./cron";

describe("five-field cron → Quartz", () => {
  it("converts the default and common schedules", () => {
    expect(toQuartz("0 6-22 * * *")).toBe("0 0 6-22 * * ?");
    expect(toQuartz("*/15 * * * *")).toBe("0 */15 * * * ?");
    expect(toQuartz("30 2 1 * *")).toBe("0 30 2 1 * ?");
    // Day of week: cron Sunday 0 (or 7), Monday 1 → Quartz Sunday 1, Monday 2.
    expect(toQuartz("0 9 * * 1-5")).toBe("0 0 9 ? * 2-6");
    expect(toQuartz("0 9 * * 0,7")).toBe("0 0 9 ? * 1,1");
    expect(toQuartz("0 9 * * MON")).toBe("0 0 9 ? * MON");
  });

  it("validates fields, ranges and the day-of-month/day-of-week rule", () => {
    expect(cronProblem("0 6-22 * * *")).toBeNull();
    expect(cronProblem("*/5 0-23/2 1,15 JAN-MAR MON-FRI")).toBe("Cron expressions may restrict day of month or day of week, not both.");
    expect(cronProblem("*/5 0-23/2 * JAN-MAR MON-FRI")).toBeNull();
    expect(cronProblem("0 6 * *")).toMatch(/5 fields/);
    expect(cronProblem("0 0 6 * * ?")).toMatch(/5 fields/);
    expect(cronProblem("60 * * * *")).toBe("Invalid minute field in cron expression.");
    expect(cronProblem("0 24 * * *")).toBe("Invalid hour field in cron expression.");
    expect(cronProblem("0 0 0 * *")).toBe("Invalid day of month field in cron expression.");
    expect(cronProblem("0 0 * 13 *")).toBe("Invalid month field in cron expression.");
    expect(cronProblem("0 0 * * 8")).toBe("Invalid day of week field in cron expression.");
    expect(cronProblem("0 5-2 * * *")).toBe("Invalid hour field in cron expression.");
    expect(cronProblem("*/0 * * * *")).toBe("Invalid minute field in cron expression.");
  });
});
