"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { FormEvent } from "react";
import { errorMessage, trpc } from "../trpc-client";
import { Field, NEW_PASSWORD_HINT } from "../ui/field";
import styles from "../ui/form.module.css";

export function ChooseNewPassword({ token }: { token: string }) {
  const confirm = useMutation({ mutationFn: (password: string) => trpc.passwordReset.confirm.mutate({ token, password }) });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    confirm.mutate(String(new FormData(event.currentTarget).get("password") ?? ""));
  }

  if (confirm.isSuccess)
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

  const message = confirm.isError ? errorMessage(confirm.error) : null;
  const tokenProblem = message?.includes("token") ?? false;
  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={message ? "confirm-error" : undefined}>
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
      <Field id="password" label="New password" type="password" autoComplete="new-password" required autoFocus hint={NEW_PASSWORD_HINT} />
      <button className={styles.button} type="submit" disabled={confirm.isPending}>
        {confirm.isPending ? "Saving…" : "Set new password"}
      </button>
      <p className={styles.links}>
        <Link href="/login">Back to sign-in</Link>
      </p>
    </form>
  );
}
