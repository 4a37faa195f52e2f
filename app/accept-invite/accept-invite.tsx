"use client";

import { useActionState } from "react";
import { acceptInviteAction, type FormState } from "../session-actions";
import { Field, NEW_PASSWORD_HINT } from "../ui/field";
import { FormError, hasError } from "../ui/form-feedback";
import styles from "../ui/form.module.css";

/** Creates the account and signs the new member in (a POST form: works without JavaScript). */
export function AcceptForm({ token, email, tenantName, role }: { token: string; email: string; tenantName: string; role: string }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(acceptInviteAction, {});
  return (
    <form action={submit} noValidate aria-describedby={hasError(state) ? "accept-error" : undefined}>
      <p className={styles.lead}>
        <strong>{tenantName}</strong> invited <strong>{email}</strong> as {role.toLowerCase()}. Choose a password to create your
        account.
      </p>
      <FormError id="accept-error" state={state} />
      <input type="hidden" name="token" value={token} />
      <div className={styles.row}>
        <Field id="first_name" label="First name" autoComplete="given-name" maxLength={150} defaultValue={state.values?.first_name} />
        <Field id="last_name" label="Last name" autoComplete="family-name" maxLength={150} defaultValue={state.values?.last_name} />
      </div>
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <Field id="password" label="Password" type="password" autoComplete="new-password" required hint={NEW_PASSWORD_HINT} />
      <button className={styles.button} type="submit" disabled={pending}>
        {pending ? "Creating your account…" : "Create account and sign in"}
      </button>
    </form>
  );
}
