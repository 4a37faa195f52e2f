import styles from "./form.module.css";
import type { FormState } from "../session-actions";

/** A form's error after a submission: its message, or its field errors as one readable line. */
export function FormError({ id, state }: { id: string; state: FormState }) {
  const message = state.error ?? (state.fields ? Object.values(state.fields).flat().join(" ") : null);
  if (!message) return null;
  return (
    <p id={id} role="alert" className={styles.error}>
      {message}
    </p>
  );
}

export const hasError = (state: FormState) => Boolean(state.error || state.fields);
