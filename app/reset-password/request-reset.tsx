"use client";

import Link from "next/link";
import { useActionState } from "react";
import { requestResetAction, type FormState } from "../session-actions";
import { Field } from "../ui/field";
import { FormError, hasError } from "../ui/form-feedback";
import styles from "../ui/form.module.css";

/** The same confirmation whether or not the address has an account (no account discovery). */
export const RESET_REQUESTED =
  "If an account exists for that address, we have sent it a link to reset the password. Check your inbox (and spam folder).";

export function RequestReset() {
  const [state, submit, pending] = useActionState<FormState, FormData>(requestResetAction, {});

  if (state.done)
    return (
      <>
        <p role="status" className={styles.success}>
          {RESET_REQUESTED}
        </p>
        <p className={styles.links}>
          <Link href="/login">Back to sign-in</Link>
        </p>
      </>
    );

  return (
    <form action={submit} noValidate aria-describedby={hasError(state) ? "reset-error" : "reset-lead"}>
      <p id="reset-lead" className={styles.lead}>
        Enter the e-mail you sign in with and we will send you a link to choose a new password.
      </p>
      <FormError id="reset-error" state={state} />
      <Field id="email" label="E-mail" type="email" autoComplete="username" required autoFocus defaultValue={state.values?.email} />
      <button className={styles.button} type="submit" disabled={pending}>
        {pending ? "Sending…" : "Send reset link"}
      </button>
      <p className={styles.links}>
        <Link href="/login">Back to sign-in</Link>
      </p>
    </form>
  );
}
