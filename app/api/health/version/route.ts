import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { version } from "~/server/services/probes";
import { versionView } from "~/server/services/probes-views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Deployed version",
    throttle: "public",
    responses: { 200: { description: "Version string", schema: versionView } },
    handler: async () => json(version()),
  }),
});
