/** One entry of the generated route table (app/api/route-table.ts, from server/cli/api-routes.mjs). */
export interface ApiRoute {
  /** The path as the API document writes it: `/api/tenants/{tenant_id}/`. */
  path: string;
  /** The same path for the router: `/api/tenants/:tenant_id/` (`/api/*` for the catch-all). */
  pattern: string;
  /** The route file, relative to the project. */
  file: string;
  /** `fallback`: the catch-all that answers every unknown /api path with the JSON 404. */
  kind: "route" | "fallback";
  /** The route file's exports: a function per HTTP method (see server/http/route.ts). */
  module: Record<string, unknown>;
}
