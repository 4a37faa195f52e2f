import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { liveness } from "~/server/services/probes-views";

// Liveness only: no I/O, so it stays up while dependencies are down.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Liveness probe",
    throttle: "public",
    responses: { 200: { description: "The process is up", schema: liveness } },
    handler: async () => json({ status: "ok" }),
  }),
});
