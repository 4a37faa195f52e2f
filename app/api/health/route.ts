import { restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";

// Liveness only: no I/O, so it stays up while dependencies are down.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: async () => json({ status: "ok" }),
});
