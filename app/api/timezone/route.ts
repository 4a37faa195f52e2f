import { restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { timezone } from "~/server/services/probes";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: async () => json(timezone()),
});
