/**
 * Every REST route of the API document, by the path clients call. A new `app/api/**\/route.ts`
 * is added here (one line); e2e/api/openapi.test.ts walks app/api and fails when one is missing.
 */
import type { RouteModule } from "~/server/http/openapi";
import * as authLogin from "../auth/login/route";
import * as health from "../health/route";
import * as healthReady from "../health/ready/route";
import * as healthVersion from "../health/version/route";
import * as me from "../me/route";
import * as tenant from "../tenants/[tenant_id]/route";
import * as tenants from "../tenants/route";
import * as timezone from "../timezone/route";
import * as tokenRefresh from "../token/refresh/route";
import * as token from "../token/route";
import * as users from "../users/route";

export const REST_ROUTES: Record<string, RouteModule> = {
  "/api/auth/login/": authLogin,
  "/api/health/": health,
  "/api/health/ready/": healthReady,
  "/api/health/version/": healthVersion,
  "/api/me/": me,
  "/api/tenants/": tenants,
  "/api/tenants/{tenant_id}/": tenant,
  "/api/timezone/": timezone,
  "/api/token/": token,
  "/api/token/refresh/": tokenRefresh,
  "/api/users/": users,
};
