/**
 * `npm run queues`: depth of every queue (and its schedulers' next run); `--failed` lists the
 * failed jobs kept for inspection. Reads the queues under QUEUE_PREFIX on REDIS_URL. A declared
 * job scheduler missing from Redis is reported as unhealthy (exit status 1): nothing runs it until
 * a worker registers it again.
 */
import { parseArgs } from "node:util";
import { assertEnvOrExit } from "../env";
import { closeQueues, missingSchedulers, QUEUES, queueFor } from "../infra/queue";

const USAGE = `usage: npm run queues -- [--failed] [--queue NAME] [--limit N] [--json]

Prints, per queue, the number of waiting, active, delayed, prioritized, completed and failed
jobs, and the next run of each job scheduler. A declared scheduler that is missing from Redis is
shown as MISSING and makes the command exit with status 1 (unhealthy).
  --failed       list failed jobs (id, name, attempts, finished at, reason) instead
  --queue NAME   only this queue (one of: ${QUEUES.map((q) => q.name).join(", ")})
  --limit N      failed jobs per queue (default 20)
  --json         machine-readable output`;

const { values } = parseArgs({
  options: {
    help: { type: "boolean" },
    failed: { type: "boolean" },
    queue: { type: "string" },
    limit: { type: "string", default: "20" },
    json: { type: "boolean" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
assertEnvOrExit();
const selected = QUEUES.filter((q) => !values.queue || q.name === values.queue);
if (selected.length === 0) {
  console.error(`unknown queue: ${values.queue}`);
  process.exit(2);
}
const limit = Math.max(1, Number(values.limit) || 20);

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "(none)";
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

try {
  if (values.failed) {
    const rows: Record<string, unknown>[] = [];
    for (const definition of selected) {
      const jobs = await queueFor(definition).getFailed(0, limit - 1);
      for (const job of jobs)
        rows.push({
          queue: definition.name,
          id: job.id,
          name: job.name,
          attempts: job.attemptsMade,
          finished_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : "",
          reason: (job.failedReason ?? "").slice(0, 200),
        });
    }
    console.log(values.json ? JSON.stringify(rows) : table(rows));
  } else {
    const rows: Record<string, unknown>[] = [];
    const missing = await missingSchedulers(selected);
    for (const definition of selected) {
      const queue = queueFor(definition);
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "completed", "failed");
      const schedulers = await queue.getJobSchedulers(0, -1);
      const lost = missing.filter((m) => m.queue === definition.name).map((m) => m.scheduler);
      rows.push({
        queue: definition.name,
        ...counts,
        next_run: [...schedulers.map((s) => (s.next ? `${s.key}@${new Date(s.next).toISOString()}` : s.key)), ...lost.map((id) => `MISSING:${id}`)].join(" "),
        ...(values.json ? { missing_schedulers: lost } : {}),
      });
    }
    console.log(values.json ? JSON.stringify(rows) : table(rows));
    if (missing.length) {
      if (!values.json) console.error(`unhealthy: job scheduler(s) missing from Redis: ${missing.map((m) => `${m.scheduler} (${m.queue})`).join(", ")}; a running worker registers them again`);
      process.exitCode = 1;
    }
  }
} finally {
  await closeQueues();
}
