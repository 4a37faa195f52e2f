/** Input schemas of the accounts routes; REST handlers and tRPC procedures both use them. */
import { z } from "zod";
import { body, email, password, text, timeZone } from "../validation";

export const credentialsInput = z
  .object(
    {
      // Checked in the transform below; the metadata is what the API document shows.
      email: z.unknown().optional().meta({ type: "string", format: "email", maxLength: 254, description: "required unless `username` is sent" }),
      username: z.unknown().optional().meta({ type: "string", description: "simplejwt's name for the e-mail" }),
      password: z.unknown().optional().meta({ type: "string", minLength: 1, maxLength: 128 }),
    },
    { error: () => "Invalid data. Expected a dictionary." },
  )
  .transform((v, ctx) => {
    // simplejwt accepted the login under "username"; users are keyed by e-mail either way.
    const field = v.email === undefined && v.username !== undefined ? "username" : "email";
    const login = email().safeParse(v.email ?? v.username);
    const secret = password().safeParse(v.password);
    if (!login.success) ctx.addIssue({ code: "custom", path: [field], message: login.error.issues[0]!.message });
    if (!secret.success) ctx.addIssue({ code: "custom", path: ["password"], message: secret.error.issues[0]!.message });
    if (!login.success || !secret.success) return z.NEVER;
    return { email: login.data, password: secret.data };
  });

export const refreshInput = body({ refresh: text({ max: 4096 }) });

export const signUpInput = body({
  name: text({ max: 255 }),
  admin_email: email(),
  admin_password: password(),
  admin_first_name: text({ max: 150, allowBlank: true }).optional(),
  admin_last_name: text({ max: 150, allowBlank: true }).optional(),
});

export const createUserInput = body({
  email: email(),
  password: password(),
  first_name: text({ max: 150, allowBlank: true }).optional(),
  last_name: text({ max: 150, allowBlank: true }).optional(),
  timezone: timeZone().optional(),
});

export const pageInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(100),
});
export type PageInput = z.infer<typeof pageInput>;
