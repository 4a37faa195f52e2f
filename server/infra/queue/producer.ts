/** Adding jobs: payloads are validated against the queue's schema before they reach Redis. */
import { Queue, type Job, type JobsOptions } from "bullmq";
import type { z } from "zod";
import { queueConnection, queuePrefix } from "./connection";
import type { QueueDefinition } from "./define";

const holder = globalThis as unknown as { __adinsightsQueues?: Map<string, Queue> };

/** The process's Queue handle for a definition (one connection per queue, opened lazily). */
export function queueFor(definition: QueueDefinition): Queue {
  holder.__adinsightsQueues ??= new Map();
  let queue = holder.__adinsightsQueues.get(definition.name);
  if (!queue) {
    queue = new Queue(definition.name, { connection: queueConnection(), prefix: queuePrefix(), defaultJobOptions: definition.jobOptions });
    queue.on("error", () => {
      /* surfaced on the add() that needs Redis */
    });
    holder.__adinsightsQueues.set(definition.name, queue);
  }
  return queue;
}

export async function enqueue<S extends z.ZodType>(
  definition: QueueDefinition<S>,
  payload: z.input<S>,
  options: JobsOptions & { jobName?: string } = {},
): Promise<Job> {
  const data = definition.payload.parse(payload);
  const { jobName, ...jobOptions } = options;
  return queueFor(definition).add(jobName ?? definition.name, data, jobOptions);
}

/** Many jobs in one Redis round trip (each payload validated like enqueue's). */
export async function enqueueMany<S extends z.ZodType>(definition: QueueDefinition<S>, jobs: { payload: z.input<S>; options?: JobsOptions }[]): Promise<Job[]> {
  if (jobs.length === 0) return [];
  return queueFor(definition).addBulk(jobs.map((j) => ({ name: definition.name, data: definition.payload.parse(j.payload), opts: j.options })));
}

export async function closeQueues(): Promise<void> {
  const queues = [...(holder.__adinsightsQueues?.values() ?? [])];
  holder.__adinsightsQueues = undefined;
  await Promise.all(queues.map((q) => q.close()));
}
