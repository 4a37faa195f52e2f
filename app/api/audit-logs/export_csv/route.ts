import { authed, restRoute } from "~/server/http/route";
import { exportAuditCsv } from "~/server/services/team/audit-log";
import { auditFilterInput } from "~/server/services/team/schemas";
import { parseInput } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async ({ principal, url }) => {
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
    return new Response(body, {
      status: 200,
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="audit-logs.csv"' },
    });
  }),
});
