import { operation } from "~/server/http/operation";
import { restRoute } from "~/server/http/route";
import { exportAuditCsv } from "~/server/services/team/audit-log";
import { auditFilterFields, auditFilterInput } from "~/server/services/team/schemas";
import { parseInput } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Audit log as CSV (ADMIN), streamed",
    auth: true,
    query: auditFilterFields,
    responses: {
      200: { description: "text/csv: id, action, resource_type, resource_id, user_email, metadata, created_at" },
      403: { description: "Caller is not an ADMIN" },
    },
    handler: async ({ principal, url }) => {
      const lines = exportAuditCsv(principal, parseInput(auditFilterInput, Object.fromEntries(url.searchParams)));
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        },
        async cancel() {
          await lines.return(undefined);
        },
      });
      return {
        status: 200,
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="audit-logs.csv"' },
        body,
      };
    },
  }),
});
