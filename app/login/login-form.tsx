"use client";

import { useActionState } from "react";
import { signInAction, type FormState } from "../session-actions";
import { Field } from "../ui/field";
import { FormError, hasError } from "../ui/form-feedback";
import styles from "../ui/form.module.css";

/**
 * A POST form handled by a server action: it signs in with or without JavaScript, and the password
 * never travels in a URL. Where to go afterwards is decided on the server (safeReturnPath).
 */
export function LoginForm({ callbackUrl }: { callbackUrl: string | null }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(signInAction, {});
  return (
    <form action={submit} noValidate aria-describedby={hasError(state) ? "login-error" : undefined}>
      <FormError id="login-error" state={state} />
      {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
      <Field id="email" label="E-mail" type="email" autoComplete="username" required autoFocus defaultValue={state.values?.email} />
      <Field id="password" label="Password" type="password" autoComplete="current-password" required />
      <button className={styles.button} type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
