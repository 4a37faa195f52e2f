"use client";

import { errorMessage } from "../../trpc-client";
import form from "../../ui/form.module.css";
import styles from "../../ui/team.module.css";

/**
 * A section's messages: the last action's failure (alert), its success (a status region that is
 * always present, so screen readers announce changes), and a load failure with a retry.
 */
export function Feedback(props: { failure: unknown; status: string; loadError: unknown; what: string; retry: () => void }) {
  return (
    <>
      {props.failure != null && (
        <p role="alert" className={form.error}>
          {errorMessage(props.failure)}
        </p>
      )}
      <p role="status" className={props.status ? form.success : "visually-hidden"}>
        {props.status}
      </p>
      {props.loadError != null && (
        <div role="alert" className={form.error}>
          Could not load the {props.what}: {errorMessage(props.loadError)}{" "}
          <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={props.retry}>
            Try again
          </button>
        </div>
      )}
    </>
  );
}
