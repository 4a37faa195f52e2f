import { operation } from "~/server/http/operation";
import { pageRequest, paginated } from "~/server/http/pagination";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { pageOf, pageQuery } from "~/server/services/accounts/views";
import { listAuditLogs } from "~/server/services/team/audit-log";
import { auditFilterFields, auditFilterInput } from "~/server/services/team/schemas";
import { auditLogView } from "~/server/services/team/views";
import { parseInput } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Audit log of the caller's tenant (ADMIN)",
    auth: true,
    query: pageQuery.extend(auditFilterFields.shape),
    responses: {
      200: { description: "A page of audit entries, newest first", schema: pageOf(auditLogView) },
      403: { description: "Caller is not an ADMIN" },
    },
    handler: async ({ principal, url }) => {
      const filter = parseInput(auditFilterInput, Object.fromEntries(url.searchParams));
      return json(paginated(url, await listAuditLogs(principal, filter, pageRequest(url, { size: 50, max: 200 }))));
    },
  }),
});
