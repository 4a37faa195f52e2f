import type { InputHTMLAttributes } from "react";
import styles from "./form.module.css";

/** A labelled input of the sign-in style forms, with an optional hint tied to it for screen readers. */
export function Field({ id, label, hint, ...input }: { id: string; label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className={styles.field}>
      <label className={styles.label} htmlFor={id}>
        {label}
      </label>
      <input className={styles.input} id={id} name={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <p id={`${id}-hint`} className={styles.fieldHint}>
          {hint}
        </p>
      )}
    </div>
  );
}

export const NEW_PASSWORD_HINT = "At least 8 characters, not only digits, and not your e-mail address.";
