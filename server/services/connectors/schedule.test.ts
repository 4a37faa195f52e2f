import { describe, expect, it } from "vitest";
import { nextRunAfter, nextRunAfterDue, schedulePlan } from "./schedule";

const at = (iso: string) => new Date(iso);
const cron = (expression: string) => ({ scheduleType: "cron", intervalMinutes: null, cronExpression: expression });
const every = (minutes: number) => ({ scheduleType: "interval", intervalMinutes: minutes, cronExpression: null });

describe("next run of a schedule", () => {
  it("reads cron in America/Jamaica (UTC-5, no daylight saving)", () => {
    // 06:00 in Kingston is 11:00 UTC, in July as in January.
    expect(nextRunAfter(cron("0 6 * * *"), at("2026-01-10T10:59:00Z"))).toEqual(at("2026-01-10T11:00:00Z"));
    expect(nextRunAfter(cron("0 6 * * *"), at("2026-07-10T11:00:00Z"))).toEqual(at("2026-07-11T11:00:00Z"));
    // The spec's default: hourly 06:00–22:00. After 22:00 Kingston (03:00 UTC) the next is 06:00.
    expect(nextRunAfter(cron("0 6-22 * * *"), at("2026-11-25T03:00:00Z"))).toEqual(at("2026-11-25T11:00:00Z"));
    expect(nextRunAfter(cron("0 6-22 * * *"), at("2026-11-25T11:00:00Z"))).toEqual(at("2026-11-25T12:00:00Z"));
    // Names and Sunday as 7, which the provision validator accepts.
    expect(nextRunAfter(cron("30 1 * * SUN"), at("2026-11-24T00:00:00Z"))).toEqual(at("2026-11-29T06:30:00Z"));
    expect(nextRunAfter(cron("30 1 * * 7"), at("2026-11-24T00:00:00Z"))).toEqual(at("2026-11-29T06:30:00Z"));
  });

  it("counts intervals in minutes, and manual schedules never run", () => {
    expect(nextRunAfter(every(90), at("2026-11-25T10:00:00Z"))).toEqual(at("2026-11-25T11:30:00Z"));
    expect(nextRunAfter({ scheduleType: "manual", intervalMinutes: null, cronExpression: null }, at("2026-11-25T10:00:00Z"))).toBeNull();
  });

  it("keeps an interval's cadence from the due slot, and skips slots missed while nothing ran", () => {
    const due = at("2026-11-25T10:00:00Z");
    expect(nextRunAfterDue(every(60), due, at("2026-11-25T10:00:40Z"))).toEqual(at("2026-11-25T11:00:00Z"));
    // Down for five hours: one run now, the next an interval from now, not five catch-up runs.
    expect(nextRunAfterDue(every(60), due, at("2026-11-25T15:20:00Z"))).toEqual(at("2026-11-25T16:20:00Z"));
    expect(nextRunAfterDue(cron("0 * * * *"), due, at("2026-11-25T15:20:00Z"))).toEqual(at("2026-11-25T16:00:00Z"));
  });
});

describe("what provision sends and stores", () => {
  const now = at("2026-11-25T10:07:00Z");

  it("Airbyte-scheduled: cron as Quartz in Jamaica time, intervals as a basic schedule", () => {
    expect(schedulePlan({ schedule_type: "cron", cron_expression: "0 6-22 * * *" }, "airbyte", now)).toEqual({
      airbyte: { scheduleType: "cron", scheduleData: { cron: { cronExpression: "0 0 6-22 * * ?", cronTimeZone: "America/Jamaica" } } },
      // The expected run is kept so the sweep knows when to look for it in Airbyte.
      row: { scheduleType: "cron", intervalMinutes: null, cronExpression: "0 6-22 * * *", scheduleManagedBy: "airbyte", nextSyncAt: at("2026-11-25T11:00:00Z") },
    });
    expect(schedulePlan({ schedule_type: "interval", interval_minutes: 30 }, "airbyte", now).airbyte).toEqual({
      scheduleType: "basic",
      scheduleData: { basicSchedule: { timeUnit: "minutes", units: 30 } },
    });
  });

  it("worker-scheduled: Airbyte gets a manual schedule and the first run is stored", () => {
    expect(schedulePlan({ schedule_type: "cron" }, "worker", now)).toEqual({
      airbyte: { scheduleType: "manual" },
      row: { scheduleType: "cron", intervalMinutes: null, cronExpression: "0 6-22 * * *", scheduleManagedBy: "worker", nextSyncAt: at("2026-11-25T11:00:00Z") },
    });
    expect(schedulePlan({ schedule_type: "interval", interval_minutes: 15 }, "worker", now).row.nextSyncAt).toEqual(at("2026-11-25T10:22:00Z"));
  });

  it("manual schedules are nobody's: manual in Airbyte, never swept", () => {
    for (const owner of ["airbyte", "worker"] as const)
      expect(schedulePlan({ schedule_type: "manual" }, owner, now)).toEqual({
        airbyte: { scheduleType: "manual" },
        row: { scheduleType: "manual", intervalMinutes: null, cronExpression: null, scheduleManagedBy: "airbyte", nextSyncAt: null },
      });
  });
});
