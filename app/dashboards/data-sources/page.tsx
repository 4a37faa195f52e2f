import { principalForPage } from "~/server/edge/session";
import { DataSources } from "./data-sources";

export const metadata = { title: "Data sources · ADinsights" };

/**
 * The connectors of the agency, one card per provider. Also the OAuth redirect target: the
 * provider sends people back here with `code` and `state`, which the client completes.
 * What a role may do is decided here for display only; every procedure checks it again.
 */
export default async function DataSourcesPage() {
  const principal = (await principalForPage())!; // the layout has already required a session
  const isAdmin = principal.roles.includes("ADMIN");
  const canSync = isAdmin || principal.roles.includes("ANALYST");
  return <DataSources isAdmin={isAdmin} canSync={canSync} />;
}
