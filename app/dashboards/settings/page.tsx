import { principalForPage } from "~/server/edge/session";
import styles from "../../ui/team.module.css";
import { Webhooks } from "./webhooks";

export const metadata = { title: "Settings · ADinsights" };

/** Workspace settings. Webhooks are ADMIN-only (the server enforces the same rule on every procedure). */
export default async function SettingsPage() {
  const principal = (await principalForPage())!; // the layout has already required a session
  const isAdmin = principal.roles.includes("ADMIN");
  return (
    <div className={styles.page}>
      <div>
        <h1 style={{ margin: "0 0 0.25rem" }}>Settings</h1>
        <p className={styles.intro}>
          {isAdmin ? "Send connection and sync events to your own systems." : "Only administrators can manage webhooks."}
        </p>
      </div>
      {isAdmin && <Webhooks />}
    </div>
  );
}
