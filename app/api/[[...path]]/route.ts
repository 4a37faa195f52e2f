import { entryOf, routeExport } from "~/server/http/route";
import { notFound } from "~/server/services/errors";

// Any /api/ path no route claims (and /api/ itself): JSON 404 for every method, never Next's HTML page.
const unknown = routeExport(
  entryOf(async () => {
    throw notFound();
  }),
);

export { unknown as GET, unknown as POST, unknown as PUT, unknown as PATCH, unknown as DELETE, unknown as OPTIONS };
