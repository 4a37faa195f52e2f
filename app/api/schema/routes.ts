/**
 * Every REST route of the API document, by the path clients call. A new `app/api/**\/route.ts`
 * is added here (one line); e2e/api/openapi.test.ts walks app/api and fails when one is missing.
 */
import type { RouteModule } from "~/server/http/openapi";
import * as auditLogsCsv from "../audit-logs/export_csv/route";
import * as auditLogs from "../audit-logs/route";
import * as authLogin from "../auth/login/route";
import * as passwordResetConfirm from "../auth/password-reset/confirm/route";
import * as passwordReset from "../auth/password-reset/route";
import * as health from "../health/route";
import * as healthReady from "../health/ready/route";
import * as healthVersion from "../health/version/route";
import * as integrationDisconnect from "../integrations/[provider]/disconnect/route";
import * as integrationJobs from "../integrations/[provider]/jobs/route";
import * as integrationCallback from "../integrations/[provider]/oauth/callback/route";
import * as integrationStart from "../integrations/[provider]/oauth/start/route";
import * as integrationProvision from "../integrations/[provider]/provision/route";
import * as integrationReconnect from "../integrations/[provider]/reconnect/route";
import * as integrationStatus from "../integrations/[provider]/status/route";
import * as integrationSync from "../integrations/[provider]/sync/route";
import * as me from "../me/route";
import * as rolesAssign from "../roles/assign/route";
import * as tenantInviteResend from "../tenants/[tenant_id]/invite/resend/route";
import * as tenantInvite from "../tenants/[tenant_id]/invite/route";
import * as tenant from "../tenants/[tenant_id]/route";
import * as tenants from "../tenants/route";
import * as timezone from "../timezone/route";
import * as tokenRefresh from "../token/refresh/route";
import * as token from "../token/route";
import * as userRole from "../user-roles/[id]/route";
import * as userRoles from "../user-roles/route";
import * as acceptInvite from "../users/accept-invite/route";
import * as userInviteResend from "../users/invite/resend/route";
import * as userInvite from "../users/invite/route";
import * as users from "../users/route";
import * as events from "../events/route";
import * as webhookDeliveries from "../webhooks/[id]/deliveries/route";
import * as webhookRedeliver from "../webhooks/[id]/deliveries/[delivery_id]/redeliver/route";
import * as webhookRotate from "../webhooks/[id]/rotate-secret/route";
import * as webhook from "../webhooks/[id]/route";
import * as webhooks from "../webhooks/route";

export const REST_ROUTES: Record<string, RouteModule> = {
  "/api/audit-logs/": auditLogs,
  "/api/audit-logs/export_csv/": auditLogsCsv,
  "/api/auth/login/": authLogin,
  "/api/events/": events,
  "/api/auth/password-reset/": passwordReset,
  "/api/auth/password-reset/confirm/": passwordResetConfirm,
  "/api/health/": health,
  "/api/health/ready/": healthReady,
  "/api/health/version/": healthVersion,
  "/api/integrations/{provider}/disconnect/": integrationDisconnect,
  "/api/integrations/{provider}/jobs/": integrationJobs,
  "/api/integrations/{provider}/oauth/callback/": integrationCallback,
  "/api/integrations/{provider}/oauth/start/": integrationStart,
  "/api/integrations/{provider}/provision/": integrationProvision,
  "/api/integrations/{provider}/reconnect/": integrationReconnect,
  "/api/integrations/{provider}/status/": integrationStatus,
  "/api/integrations/{provider}/sync/": integrationSync,
  "/api/me/": me,
  "/api/roles/assign/": rolesAssign,
  "/api/tenants/": tenants,
  "/api/tenants/{tenant_id}/": tenant,
  "/api/tenants/{tenant_id}/invite/": tenantInvite,
  "/api/tenants/{tenant_id}/invite/resend/": tenantInviteResend,
  "/api/timezone/": timezone,
  "/api/token/": token,
  "/api/token/refresh/": tokenRefresh,
  "/api/user-roles/": userRoles,
  "/api/user-roles/{id}/": userRole,
  "/api/users/": users,
  "/api/users/accept-invite/": acceptInvite,
  "/api/users/invite/": userInvite,
  "/api/users/invite/resend/": userInviteResend,
  "/api/webhooks/": webhooks,
  "/api/webhooks/{id}/": webhook,
  "/api/webhooks/{id}/deliveries/": webhookDeliveries,
  "/api/webhooks/{id}/deliveries/{delivery_id}/redeliver/": webhookRedeliver,
  "/api/webhooks/{id}/rotate-secret/": webhookRotate,
};
