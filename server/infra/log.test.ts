/**
 * The logger as a process uses it: a child writes lines and exits at once; every line arrives
 * (queued writes are flushed at exit), one JSON object each, info on stdout and warn on stderr,
 * a job result's counts visible and its tokens not.
 */
import { expect, test } from "vitest";
import { runLogging as runChild } from "../../e2e/support/child-logs";

const TOKEN = "ya29.a0AfH6SMBx-child-process-token";

test("every line reaches its stream before exit, with counts shown and tokens hidden", () => {
  const child = runChild(`
    import { log } from "./server/infra/log.ts";
    for (let i = 0; i < 500; i++) log.info("tick", { i });
    log.info("job done", { job: "refresh-tokens", result: { refreshed: 3, failed: 0, access_token: "${TOKEN}" }, note: "got ${TOKEN}" });
    log.warn("slow", { ms: 1200 });
    process.exit(0);
  `);
  expect(child.status).toBe(0);
  expect(child.out.filter((l) => l.msg === "tick")).toHaveLength(500);
  const done = child.out.find((l) => l.msg === "job done")!;
  expect(done).toMatchObject({ level: "info", job: "refresh-tokens", result: { refreshed: 3, failed: 0, access_token: "[redacted]" }, note: "got [redacted]" });
  expect(typeof done.time === "string" && !Number.isNaN(Date.parse(done.time))).toBe(true);
  expect(child.err).toEqual([expect.objectContaining({ level: "warn", msg: "slow", ms: 1200 })]);
  expect(child.raw).not.toContain(TOKEN);
});

test("LOG_LEVEL is obeyed, also when it changes after the logger is loaded", () => {
  const child = runChild(
    `
    import { log } from "./server/infra/log.ts";
    log.info("hidden at warn");
    log.error("shown at warn");
    process.env.LOG_LEVEL = "silent";
    log.error("hidden when silent");
  `,
    { LOG_LEVEL: "warn" },
  );
  expect(child.out).toEqual([]);
  expect(child.err.map((l) => l.msg)).toEqual(["shown at warn"]);
});

