/** Response shapes of the team routes, for the API document (server/http/openapi.ts). */
import { z } from "zod";
import { ROLE_NAMES } from "../../db/schema";

const timestamp = z.iso.datetime({ offset: true });

export const invitationView = z.object({
  id: z.uuid(),
  email: z.email(),
  role: z.enum(ROLE_NAMES),
  token: z.string().describe("the raw invitation token: in this answer and the e-mail only"),
  expires_at: timestamp,
  accepted_at: z.null(),
});

export const roleAssignmentView = z.object({
  id: z.uuid(),
  user: z.uuid(),
  tenant: z.uuid(),
  role: z.enum(ROLE_NAMES),
  created_at: timestamp,
});

export const auditLogView = z.object({
  id: z.uuid(),
  tenant: z.uuid(),
  user: z.object({ id: z.uuid(), email: z.email() }).nullable(),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: timestamp,
});
