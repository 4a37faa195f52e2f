/**
 * Job schedulers live in Redis, so they vanish with its data (a restart without persistence, a
 * failover, an eviction, a FLUSHALL) while the worker keeps running. The worker registers them at
 * start and re-registers missing ones on every reconnect and periodic check (worker/runtime.ts);
 * its /healthz and `npm run queues` report a missing one as unhealthy. Registering is an upsert by
 * id, so several workers doing it at once still leave exactly one scheduler each.
 */
import type { QueueDefinition, SchedulerDefinition } from "./define";
import { queueFor } from "./producer";

export interface SchedulerRef {
  queue: string;
  scheduler: string;
}

const repeatOf = (s: SchedulerDefinition<unknown>) => ("every" in s ? { every: s.every } : { pattern: s.pattern, tz: s.tz });

/** Creates the scheduler, or updates it to the definition (same id: still one scheduler). */
export async function upsertScheduler(queue: QueueDefinition, s: SchedulerDefinition<unknown>): Promise<void> {
  await queueFor(queue).upsertJobScheduler(s.id, repeatOf(s), { name: queue.name, data: queue.payload.parse(s.data), opts: queue.jobOptions });
}

export const describeRepeat = (s: SchedulerDefinition<unknown>) => ("every" in s ? { every_ms: s.every } : { pattern: s.pattern, tz: s.tz });

/** The declared schedulers of these queues that Redis does not hold. */
export async function missingSchedulers(queues: QueueDefinition[]): Promise<SchedulerRef[]> {
  const missing: SchedulerRef[] = [];
  for (const queue of queues)
    for (const s of queue.schedulers)
      if (!(await queueFor(queue).getJobScheduler(s.id))) missing.push({ queue: queue.name, scheduler: s.id });
  return missing;
}
