import { signOutAction } from "../session-actions";
import styles from "./shell.module.css";

/** A POST form: signs out (everywhere, on the server) with or without JavaScript. */
export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <button type="submit" className={styles.signout}>
        Sign out
      </button>
    </form>
  );
}
