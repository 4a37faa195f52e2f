import { principalForPage } from "~/server/edge/session";
import styles from "../../ui/team.module.css";
import { Invitations } from "./invitations";
import { Members } from "./members";

export const metadata = { title: "Team · ADinsights" };

/**
 * Everyone in the agency can see who is on the team; only ADMINs see pending invitations and the
 * controls that change anything (the server enforces the same rule on every procedure).
 */
export default async function TeamPage() {
  const principal = (await principalForPage())!; // the layout has already required a session
  const isAdmin = principal.roles.includes("ADMIN");
  return (
    <div className={styles.page}>
      <div>
        <h1 style={{ margin: "0 0 0.25rem" }}>Team</h1>
        <p className={styles.intro}>
          {isAdmin
            ? "Invite people to your agency and choose what each member may do."
            : "The people in your agency and their roles. Only administrators can invite people or change roles."}
        </p>
      </div>
      <Members isAdmin={isAdmin} currentUserId={principal.userId} />
      {isAdmin && <Invitations />}
    </div>
  );
}
