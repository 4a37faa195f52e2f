/** Response shapes of the accounts routes, for the API document (server/http/openapi.ts). */
import { z } from "zod";

const roles = z.array(z.enum(["ADMIN", "ANALYST", "VIEWER"]));

export const userView = z.object({
  id: z.uuid(),
  email: z.email(),
  first_name: z.string(),
  last_name: z.string(),
  tenant: z.uuid(),
  timezone: z.string(),
  roles,
});

export const tenantView = z.object({ id: z.uuid(), name: z.string(), created_at: z.iso.datetime({ offset: true }) });

export const tokenPair = z.object({ refresh: z.string(), access: z.string() });

export const loginView = tokenPair.extend({ tenant_id: z.uuid(), user: userView });

export const meView = z.object({ user: userView, tenant_id: z.uuid() });

export const signUpView = tenantView.extend({ admin_user_id: z.uuid() });

/** DRF's page-number envelope around `item`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ count: z.int(), next: z.url().nullable(), previous: z.url().nullable(), results: z.array(item) });

export const pageQuery = z.object({
  page: z.int().min(1).optional().describe("1-based page number; past the end → 404"),
  page_size: z.int().min(1).max(500).optional().describe("items per page (default 100, at most 500)"),
});
