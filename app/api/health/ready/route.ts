import { restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { readiness } from "~/server/services/probes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: async () => {
    const { ok, body } = await readiness();
    return json(body, ok ? 200 : 503);
  },
});
