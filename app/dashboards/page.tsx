import { principalForPage } from "~/server/edge/session";
import { getTenant } from "~/server/services/accounts/tenants";
import styles from "../ui/shell.module.css";

export const metadata = { title: "Overview · ADinsights" };

export default async function OverviewPage() {
  const principal = (await principalForPage())!; // the layout has already required a session
  const tenant = await getTenant(principal, principal.tenantId);
  const name = [principal.user.first_name, principal.user.last_name].join(" ").trim() || principal.user.email;
  return (
    <section className={styles.panel} aria-labelledby="overview-title">
      <h1 id="overview-title">Welcome, {name}</h1>
      <dl className={styles.dl}>
        <dt>Agency</dt>
        <dd>{tenant.name}</dd>
        <dt>Your roles</dt>
        <dd>{principal.roles.length ? principal.roles.join(", ") : "No role yet — ask an administrator"}</dd>
        <dt>Time zone</dt>
        <dd>{principal.user.timezone}</dd>
      </dl>
    </section>
  );
}
