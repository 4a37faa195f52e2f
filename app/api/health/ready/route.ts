import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { readiness } from "~/server/services/probes";
import { readinessView } from "~/server/services/probes-views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Readiness probe (database and Redis)",
    throttle: "public",
    responses: {
      200: { description: "All dependencies answer", schema: readinessView },
      503: { description: "A dependency does not answer", schema: readinessView },
    },
    handler: async () => {
      const { ok, body } = await readiness();
      return json(body, ok ? 200 : 503);
    },
  }),
});
