"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, trpc } from "../trpc-client";
import { Field, NEW_PASSWORD_HINT } from "../ui/field";
import styles from "../ui/form.module.css";

const ASK_AGAIN = "Ask an administrator of your agency to send you a new invitation.";

/** The invitation behind the link (address and agency), then the form that creates the account. */
export function AcceptInvite({ token }: { token: string | null }) {
  const preview = useQuery({
    queryKey: ["invites.preview", token],
    queryFn: () => trpc.invites.preview.query({ token: token! }),
    enabled: token !== null,
    retry: false,
  });

  if (token === null)
    return (
      <Problem message="This invitation link is incomplete: it has no token. Open the link from your invitation e-mail again." />
    );
  if (preview.isPending)
    return (
      <div aria-busy="true" aria-live="polite">
        <span className="visually-hidden">Checking your invitation…</span>
        <span className={styles.skeleton} style={{ width: "80%", marginBottom: "0.75rem" }} />
        <span className={styles.skeleton} style={{ width: "60%", marginBottom: "1.5rem" }} />
        <span className={styles.skeleton} style={{ height: "12rem" }} />
      </div>
    );
  if (preview.isError) return <Problem message={errorMessage(preview.error)} />;
  return <AcceptForm token={token} email={preview.data.email} tenantName={preview.data.tenant_name} role={preview.data.role} />;
}

function Problem({ message }: { message: string }) {
  return (
    <>
      <p role="alert" className={styles.error}>
        {message}
      </p>
      <p className={styles.hint}>{ASK_AGAIN}</p>
      <p className={styles.links}>
        <Link href="/login">Go to sign-in</Link>
      </p>
    </>
  );
}

function AcceptForm({ token, email, tenantName, role }: { token: string; email: string; tenantName: string; role: string }) {
  const router = useRouter();
  const [signInFailed, setSignInFailed] = useState(false);
  const accept = useMutation({
    mutationFn: async (input: { password: string; first_name: string; last_name: string }) => {
      await trpc.invites.accept.mutate({ token, ...input });
      // The account exists now; sign in with the password just chosen.
      const result = await signIn("credentials", { redirect: false, email, password: input.password });
      return !result?.error;
    },
    onSuccess: (signedIn) => {
      if (!signedIn) return setSignInFailed(true);
      router.replace("/dashboards");
      router.refresh();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    accept.mutate({
      password: String(form.get("password") ?? ""),
      first_name: String(form.get("first_name") ?? ""),
      last_name: String(form.get("last_name") ?? ""),
    });
  }

  if (signInFailed)
    return (
      <p role="status" className={styles.success}>
        Your account is ready. <Link href="/login">Sign in</Link> with {email} and your new password.
      </p>
    );

  const busy = accept.isPending || accept.isSuccess;
  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={accept.isError ? "accept-error" : undefined}>
      <p className={styles.lead}>
        <strong>{tenantName}</strong> invited <strong>{email}</strong> as {role.toLowerCase()}. Choose a password to create your
        account.
      </p>
      {accept.isError && (
        <p id="accept-error" role="alert" className={styles.error}>
          {errorMessage(accept.error)}
        </p>
      )}
      <div className={styles.row}>
        <Field id="first_name" label="First name" autoComplete="given-name" maxLength={150} />
        <Field id="last_name" label="Last name" autoComplete="family-name" maxLength={150} />
      </div>
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <Field id="password" label="Password" type="password" autoComplete="new-password" required hint={NEW_PASSWORD_HINT} />
      <button className={styles.button} type="submit" disabled={busy}>
        {busy ? "Creating your account…" : "Create account and sign in"}
      </button>
    </form>
  );
}
