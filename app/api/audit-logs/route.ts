import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { pageRequest, paginated } from "~/server/http/pagination";
import { listAuditLogs } from "~/server/services/team/audit-log";
import { auditFilterInput } from "~/server/services/team/schemas";
import { parseInput } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async ({ principal, url }) => {
    const filter = parseInput(auditFilterInput, Object.fromEntries(url.searchParams));
    return json(paginated(url, await listAuditLogs(principal, filter, pageRequest(url, { size: 50, max: 200 }))));
  }),
});
