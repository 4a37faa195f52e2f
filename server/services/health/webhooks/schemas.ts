/** Request bodies of /api/webhooks/ (and the tRPC procedures). */
import { z } from "zod";
import { EVENT_TYPES } from "../../../db/schema";
import { body, bool, choice, text } from "../../validation";

const events = z.array(choice(EVENT_TYPES), { error: 'Expected a list of items but got type "' + "object" + '".' }).max(EVENT_TYPES.length * 2);

export const createEndpointInput = body({ url: text({ max: 2000 }), events: events.optional() });
export type CreateEndpointInput = z.output<typeof createEndpointInput>;

export const updateEndpointInput = body({ url: text({ max: 2000 }).optional(), events: events.optional(), is_active: bool().optional() });
export type UpdateEndpointInput = z.output<typeof updateEndpointInput>;

export const endpointView = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(EVENT_TYPES)),
  is_active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  disabled_reason: z.string().nullable(),
});
export const endpointWithSecret = endpointView.extend({ secret: z.string() });
export const deliveryView = z.object({
  id: z.uuid(),
  event_id: z.uuid(),
  event_type: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number(),
  last_status_code: z.number().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});
