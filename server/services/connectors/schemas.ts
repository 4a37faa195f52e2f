/** Inputs of the connector lifecycle, shared by the REST routes and the tRPC router. */
import { z } from "zod";
import { bool, body, choice, text, uuid } from "../validation";
import { cronProblem } from "../../infra/airbyte/cron";
import { isSameSitePath } from "../return-path";

/** A same-origin path (see isSameSitePath). */
const returnPath = () => text({ max: 512 }).refine(isSameSitePath, { error: "Enter a path on this site (starting with /)." });

export const startInput = body({ return_path: returnPath().optional() });
export type StartInput = z.output<typeof startInput>;

export const callbackInput = body({
  code: text({ max: 4096 }),
  state: text({ max: 512 }),
  external_account_id: text({ max: 255 }).optional(),
});
export type CallbackInput = z.output<typeof callbackInput>;

export const selectInput = body({ selection_id: text({ max: 64 }), account_id: text({ max: 255 }) });
export type SelectInput = z.output<typeof selectInput>;

/** The callback endpoint takes either step (code + state) or step 2 (selection_id + account_id). */
export function isSelectionStep(input: unknown): boolean {
  return typeof input === "object" && input !== null && "selection_id" in input && !("code" in input);
}

/** The REST callback body: step 1 or step 2, told apart by `isSelectionStep`, each with its own messages. */
export const callbackStepInput = z
  .unknown()
  .transform((value, ctx) => {
    const selection = isSelectionStep(value);
    const parsed = (selection ? selectInput : callbackInput).safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return selection
      ? { step: "select" as const, input: parsed.data as SelectInput }
      : { step: "exchange" as const, input: parsed.data as CallbackInput };
  })
  .meta({
    description:
      "Step 1: {code, state, external_account_id?} from the provider's redirect. Step 2: {selection_id, account_id} to pick an account.",
  });

export const disconnectInput = body({ external_account_id: text({ max: 255 }).optional() });
export type DisconnectInput = z.output<typeof disconnectInput>;

const positiveInt = () =>
  z
    .number({ error: (i) => (i.input === undefined ? "This field is required." : "A valid integer is required.") })
    .int({ error: "A valid integer is required." })
    .min(1, { error: "Ensure this value is greater than or equal to 1." });

export const provisionInput = body({
  external_account_id: text({ max: 255 }).optional(),
  workspace_id: uuid().optional(),
  destination_id: uuid().optional(),
  source_definition_id: uuid().optional(),
  connection_name: text({ max: 255 }).optional(),
  source_configuration: z.record(z.string(), z.unknown(), { error: "Expected a dictionary of items." }).optional(),
  is_active: bool().default(true),
  schedule_type: choice(["manual", "interval", "cron"] as const).default("cron"),
  interval_minutes: positiveInt().optional(),
  cron_expression: text({ max: 120 }).optional(),
}).superRefine((v, ctx) => {
  if (v.schedule_type === "interval" && v.interval_minutes === undefined)
    ctx.addIssue({ code: "custom", path: ["interval_minutes"], message: "This field is required when schedule_type is interval." });
  if (v.schedule_type === "cron" && v.cron_expression !== undefined) {
    const problem = cronProblem(v.cron_expression);
    if (problem) ctx.addIssue({ code: "custom", path: ["cron_expression"], message: problem });
  }
});
export type ProvisionInput = z.output<typeof provisionInput>;

export const DEFAULT_CRON = "0 6-22 * * *";

/** `?limit=` of jobs/: absent → 20, non-integer → the spec's 400, clamped to [1, 100]. */
export function jobsLimit(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined || raw.trim() === "") return 20;
  if (!/^[+-]?\d+$/.test(raw.trim())) return null;
  return Math.min(100, Math.max(1, Number(raw.trim())));
}
