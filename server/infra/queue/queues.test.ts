import { defaultRepeatStrategy } from "bullmq";
import { describe, expect, it } from "vitest";
import { enqueue, QUEUES, ROTATION_SCHEDULE, rotateDeksQueue } from "./index";

describe("queue definitions", () => {
  it("rotate-deks runs Sundays 01:30 America/Jamaica: next run from 2026-11-24 is 2026-11-29T06:30:00Z", () => {
    const next = defaultRepeatStrategy(Date.parse("2026-11-24T00:00:00Z"), { ...ROTATION_SCHEDULE });
    expect(new Date(next!).toISOString()).toBe("2026-11-29T06:30:00.000Z");
    // And the one after, a week later (Jamaica has no DST, so always 06:30Z).
    expect(new Date(defaultRepeatStrategy(next!, { ...ROTATION_SCHEDULE })!).toISOString()).toBe("2026-12-06T06:30:00.000Z");
    expect(rotateDeksQueue.schedulers).toEqual([{ id: "rotate-deks-weekly", pattern: "30 1 * * 0", tz: "America/Jamaica", data: {} }]);
  });

  it("every queue retries with exponential backoff and keeps failed jobs", () => {
    for (const q of QUEUES) {
      expect(q.jobOptions.attempts).toBeGreaterThan(1);
      expect(q.jobOptions.backoff).toMatchObject({ type: "exponential" });
      expect(q.jobOptions.removeOnFail).not.toBe(true);
    }
    expect(new Set(QUEUES.map((q) => q.name)).size).toBe(QUEUES.length);
  });

  it("producers reject a payload that does not match the schema, before Redis", async () => {
    await expect(enqueue(rotateDeksQueue, { tenantIds: ["not-a-uuid"] })).rejects.toThrow();
    await expect(enqueue(rotateDeksQueue, { olderThan: "yesterday" })).rejects.toThrow();
  });
});
