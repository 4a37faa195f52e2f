"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { RoleName } from "~/server/db/schema";
import { trpc } from "../../trpc-client";
import styles from "../../ui/team.module.css";
import { ConfirmDialog, type ConfirmRequest } from "./confirm-dialog";
import { Feedback } from "./feedback";
import { SkeletonRow } from "./members";
import { ROLES, roleLabel } from "./roles";

const PENDING = ["invites.listPending"];

const when = (value: Date | string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));

/** ADMIN only: send an invitation, and resend or withdraw the pending ones. */
export function Invitations() {
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [status, setStatus] = useState("");
  const pending = useQuery({ queryKey: PENDING, queryFn: () => trpc.invites.listPending.query({ pageSize: 500 }) });
  const refresh = (message: string) => {
    setStatus(message);
    void queryClient.invalidateQueries({ queryKey: PENDING });
  };

  const create = useMutation({
    mutationFn: (input: { email: string; role: RoleName; form: HTMLFormElement }) =>
      trpc.invites.create.mutate({ email: input.email, role: input.role }),
    onMutate: () => setStatus(""),
    onSuccess: (invite, input) => {
      input.form.reset();
      refresh(`Invitation sent to ${invite.email} as ${roleLabel(invite.role)}.`);
    },
  });
  const resend = useMutation({
    mutationFn: (input: { id: string; email: string }) => trpc.invites.resend.mutate({ invitation_id: input.id }),
    onMutate: () => setStatus(""),
    onSuccess: (_r, input) => refresh(`A new invitation link was sent to ${input.email}; the old link no longer works.`),
  });
  const revoke = useMutation({
    mutationFn: (input: { id: string; email: string }) => trpc.invites.revoke.mutate({ id: input.id }),
    onMutate: () => setStatus(""),
    onSuccess: (_r, input) => refresh(`The invitation to ${input.email} was withdrawn.`),
  });
  const failure = create.error ?? resend.error ?? revoke.error ?? null;
  const busy = resend.isPending || revoke.isPending;

  function onInvite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    create.mutate({ email: String(data.get("email") ?? ""), role: String(data.get("role")) as RoleName, form: event.currentTarget });
  }

  return (
    <section className={styles.section} aria-labelledby="invites-title" aria-busy={pending.isPending}>
      <div className={styles.sectionHead}>
        <h2 id="invites-title">Invitations</h2>
        <span className={styles.count}>{pending.data ? `${pending.data.count} pending` : "\u00a0"}</span>
      </div>
      <form className={styles.inviteForm} onSubmit={onInvite} noValidate aria-label="Invite someone">
        <label className={styles.grow}>
          E-mail address
          <input className={styles.input} name="email" type="email" autoComplete="off" required placeholder="name@agency.com" />
        </label>
        <label>
          Role
          <select className={styles.select} name="role" defaultValue="VIEWER">
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label} — {r.summary}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={styles.btn} disabled={create.isPending}>
          {create.isPending ? "Sending…" : "Send invitation"}
        </button>
      </form>
      <Feedback failure={failure} status={status} loadError={pending.error} what="invitations" retry={() => void pending.refetch()} />
      {pending.isError ? null : pending.data && pending.data.results.length === 0 ? (
        <p className={styles.empty}>No pending invitations. Invite someone with the form above.</p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Invited</th>
              <th scope="col">Role</th>
              <th scope="col">Link</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.data
              ? pending.data.results.map((invite) => (
                  <tr key={invite.id}>
                    <td className={styles.name}>{invite.email}</td>
                    <td>{roleLabel(invite.role)}</td>
                    <td>
                      {invite.expired ? (
                        <span className={styles.expired}>Expired {when(invite.expires_at)}</span>
                      ) : (
                        <span className={styles.sub}>Valid until {when(invite.expires_at)}</span>
                      )}
                    </td>
                    <td>
                      <div className={styles.actions}>
                        <button
                          type="button"
                          className={`${styles.btn} ${styles.secondary}`}
                          disabled={busy}
                          aria-label={`Resend invitation to ${invite.email}`}
                          onClick={() => resend.mutate({ id: invite.id, email: invite.email })}
                        >
                          Resend
                        </button>
                        <button
                          type="button"
                          className={`${styles.btn} ${styles.danger}`}
                          disabled={busy}
                          aria-label={`Revoke invitation to ${invite.email}`}
                          onClick={() =>
                            setConfirm({
                              title: "Revoke this invitation?",
                              body: `The link sent to ${invite.email} will stop working. You can invite them again later.`,
                              confirmLabel: "Revoke invitation",
                              onConfirm: () => revoke.mutate({ id: invite.id, email: invite.email }),
                            })
                          }
                        >
                          Revoke
                        </button>
                      </div>
                    </td>
                  </tr>
                ))
              : [0, 1].map((i) => <SkeletonRow key={i} columns={4} />)}
          </tbody>
        </table>
      )}
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}
