import { z } from "zod";
import { operation } from "~/server/http/operation";
import { pageRequest, paginated } from "~/server/http/pagination";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { pageOf, pageQuery } from "~/server/services/accounts/views";
import { requireRole } from "~/server/services/accounts/principal";
import { eventFilterInput, listEvents } from "~/server/services/health/events";
import { parseInput } from "~/server/services/validation";

const eventView = z.object({ id: z.uuid(), type: z.string(), created_at: z.string(), data: z.record(z.string(), z.unknown()) });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Connection events of the caller's tenant, newest first (ADMIN, ANALYST)",
    auth: true,
    guard: (ctx) => requireRole(ctx.principal!, "ADMIN", "ANALYST"),
    query: pageQuery.extend(eventFilterInput.shape),
    responses: { 200: { description: "A page of events", schema: pageOf(eventView) }, 403: { description: "Caller is a VIEWER" } },
    handler: async ({ principal, url }) => {
      const params = Object.fromEntries([...url.searchParams].filter(([k, v]) => (k === "type" || k === "provider") && v !== ""));
      return json(paginated(url, await listEvents(principal, parseInput(eventFilterInput, params), pageRequest(url, { size: 50, max: 200 }))));
    },
  }),
});
