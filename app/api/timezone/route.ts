import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { timezone } from "~/server/services/probes";
import { timezoneView } from "~/server/services/probes-views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Server time zone (TIME_ZONE)",
    throttle: "public",
    responses: { 200: { description: "IANA time zone", schema: timezoneView } },
    handler: async () => json(timezone()),
  }),
});
