/** Every processor the worker runs: one per queue in server/infra/queue. */
import type { Processor } from "./define";
import { rotateDeksProcessor } from "./rotate-deks";

export const PROCESSORS: Processor[] = [rotateDeksProcessor];
