"use client";

import Link from "next/link";
import { useActionState } from "react";
import { confirmResetAction, type FormState } from "../session-actions";
import { Field, NEW_PASSWORD_HINT } from "../ui/field";
import styles from "../ui/form.module.css";

export function ChooseNewPassword({ token }: { token: string }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(confirmResetAction, {});

  if (state.done)
    return (
      <>
        <p role="status" className={styles.success}>
          Your password has been changed. Other devices have been signed out.
        </p>
        <p className={styles.links}>
          <Link href="/login">Sign in with your new password</Link>
        </p>
      </>
    );

  const message = state.error ?? (state.fields ? Object.values(state.fields).flat().join(" ") : null);
  const tokenProblem = Boolean(state.fields?.token);
  return (
    <form action={submit} noValidate aria-describedby={message ? "confirm-error" : undefined}>
      {message && (
        <div id="confirm-error" role="alert" className={styles.error}>
          {message}
          {tokenProblem && (
            <>
              {" "}
              <Link href="/reset-password">Request a new link.</Link>
            </>
          )}
        </div>
      )}
      <input type="hidden" name="token" value={token} />
      <Field id="password" label="New password" type="password" autoComplete="new-password" required autoFocus hint={NEW_PASSWORD_HINT} />
      <button className={styles.button} type="submit" disabled={pending}>
        {pending ? "Saving…" : "Set new password"}
      </button>
      <p className={styles.links}>
        <Link href="/login">Back to sign-in</Link>
      </p>
    </form>
  );
}
