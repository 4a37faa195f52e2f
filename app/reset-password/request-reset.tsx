"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { FormEvent } from "react";
import { errorMessage, trpc } from "../trpc-client";
import { Field } from "../ui/field";
import styles from "../ui/form.module.css";

/** The same confirmation whether or not the address has an account (no account discovery). */
export const RESET_REQUESTED =
  "If an account exists for that address, we have sent it a link to reset the password. Check your inbox (and spam folder).";

export function RequestReset() {
  const request = useMutation({ mutationFn: (email: string) => trpc.passwordReset.request.mutate({ email }) });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate(String(new FormData(event.currentTarget).get("email") ?? ""));
  }

  if (request.isSuccess)
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
    <form onSubmit={onSubmit} noValidate aria-describedby={request.isError ? "reset-error" : "reset-lead"}>
      <p id="reset-lead" className={styles.lead}>
        Enter the e-mail you sign in with and we will send you a link to choose a new password.
      </p>
      {request.isError && (
        <p id="reset-error" role="alert" className={styles.error}>
          {errorMessage(request.error)}
        </p>
      )}
      <Field id="email" label="E-mail" type="email" autoComplete="username" required autoFocus />
      <button className={styles.button} type="submit" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Send reset link"}
      </button>
      <p className={styles.links}>
        <Link href="/login">Back to sign-in</Link>
      </p>
    </form>
  );
}
