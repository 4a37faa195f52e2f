/**
 * How a queue is declared: once, here in server/infra/queue, for both the app (producers) and
 * the worker (processors). A definition names the queue, the zod schema of its payload, the
 * default job options, worker settings and any job schedulers the worker must keep registered.
 */
import type { JobsOptions } from "bullmq";
import type { z } from "zod";

/** A job scheduler: on a cron `pattern` in `tz`, or `every` so many milliseconds. */
export type SchedulerDefinition<P> = {
  /** Stable id: upserting the same id again (every worker, every check) keeps exactly one scheduler. */
  id: string;
  data: P;
} & ({ pattern: string; tz: string } | { every: number });

export interface QueueDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  jobOptions: JobsOptions;
  worker: {
    concurrency: number;
    /** How long a job's lock lives without renewal; a dead worker's job is stalled after this. */
    lockDuration: number;
  };
  schedulers: SchedulerDefinition<z.input<S>>[];
}

export type PayloadOf<D extends QueueDefinition> = z.output<D["payload"]>;

/**
 * Retries with exponential backoff; completed jobs trimmed; failed jobs kept (for a month) so
 * `npm run queues -- --failed` can show them.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function defineQueue<S extends z.ZodType>(definition: {
  name: string;
  payload: S;
  jobOptions?: JobsOptions;
  worker?: Partial<QueueDefinition["worker"]>;
  schedulers?: SchedulerDefinition<z.input<S>>[];
}): QueueDefinition<S> {
  if (!/^[a-z0-9-]+$/.test(definition.name)) throw new Error(`queue name ${definition.name} must be kebab-case`);
  return {
    name: definition.name,
    payload: definition.payload,
    jobOptions: { ...DEFAULT_JOB_OPTIONS, ...definition.jobOptions },
    worker: { concurrency: 1, lockDuration: 60_000, ...definition.worker },
    schedulers: definition.schedulers ?? [],
  };
}
