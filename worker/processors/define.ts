/** A processor binds one queue definition to the service call that does the work. */
import { UnrecoverableError, type Job } from "bullmq";
import type { PayloadOf, QueueDefinition } from "../../server/infra/queue";

export interface Processor {
  queue: QueueDefinition;
  /** Validates the payload against the queue's schema, then runs the handler. */
  process(job: Job): Promise<unknown>;
}

export function defineProcessor<D extends QueueDefinition>(queue: D, handler: (data: PayloadOf<D>, job: Job) => Promise<unknown>): Processor {
  return {
    queue,
    async process(job) {
      const parsed = queue.payload.safeParse(job.data);
      // A malformed payload will not get better by retrying.
      if (!parsed.success) throw new UnrecoverableError(`invalid ${queue.name} payload: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      return handler(parsed.data as PayloadOf<D>, job);
    },
  };
}
