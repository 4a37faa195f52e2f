/** Response shapes of the probe routes, for the API document. */
import { z } from "zod";

export const liveness = z.object({ status: z.literal("ok") });
export const readinessView = z.object({ status: z.enum(["ok", "error"]), checks: z.record(z.string(), z.string()) });
export const versionView = z.object({ version: z.string() });
export const timezoneView = z.object({ timezone: z.string() });
