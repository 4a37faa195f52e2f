/** Input schemas of the team routes (invites, roles, audit log, password reset); REST and tRPC share them. */
import { z } from "zod";
import { ROLE_NAMES } from "../../db/schema";
import { body, choice, email, password, text, uuid } from "../validation";

export const inviteInput = body({
  email: email(),
  role: choice(ROLE_NAMES).optional().default("VIEWER"),
});
export type InviteInput = z.infer<typeof inviteInput>;

export const resendInviteInput = body({ invitation_id: uuid() });

export const acceptInviteInput = body({
  token: text({ max: 512 }),
  password: password(),
  first_name: text({ max: 150, allowBlank: true }).optional(),
  last_name: text({ max: 150, allowBlank: true }).optional(),
});
export const inviteTokenInput = body({ token: text({ max: 512 }) });

export type AcceptInviteInput = z.infer<typeof acceptInviteInput>;

/** A `tenant` key is not part of the shape, so it is dropped: the tenant is always the caller's. */
export const assignRoleInput = body({ user: uuid(), role: choice(ROLE_NAMES) });
export type AssignRoleInput = z.infer<typeof assignRoleInput>;

export const passwordResetInput = body({ email: email() });
export const passwordResetConfirmInput = body({ token: text({ max: 512 }), password: password() });
export type PasswordResetConfirmInput = z.infer<typeof passwordResetConfirmInput>;

const INVALID_DATE = "Enter a valid date.";
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO date (`2026-11-25`, the whole day in TIME_ZONE) or an ISO date-time with offset. */
const isoDate = () =>
  z
    .string({ error: INVALID_DATE })
    .trim()
    .refine((v) => (DATE_ONLY.test(v) ? isCalendarDate(v) : z.iso.datetime({ offset: true }).safeParse(v).success), {
      error: INVALID_DATE,
    });

/** `2026-02-30` matches the pattern but is no date: it must survive a round trip. */
function isCalendarDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** The audit log's query filters (also what the API document lists). */
export const auditFilterFields = z.object({
  action: text({ max: 64 }).optional(),
  resource_type: text({ max: 64 }).optional(),
  start_date: isoDate().optional(),
  end_date: isoDate().optional(),
});

/** Query filters of the audit log; an empty parameter means "no filter", as with django-filter. */
export const auditFilterInput = z.preprocess(
  (v) => (v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== "")) : v),
  auditFilterFields,
);
export type AuditFilter = z.infer<typeof auditFilterInput>;

export const idInput = z.object({ id: uuid() });
