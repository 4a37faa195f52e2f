"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RoleName } from "~/server/db/schema";
import { trpc } from "../../trpc-client";
import form from "../../ui/form.module.css";
import styles from "../../ui/team.module.css";
import { ConfirmDialog, type ConfirmRequest } from "./confirm-dialog";
import { Feedback } from "./feedback";
import { ROLES, roleLabel } from "./roles";

const MEMBERS = ["members.list"];

type Member = Awaited<ReturnType<typeof trpc.members.list.query>>["results"][number];

const displayName = (m: Member) => [m.first_name, m.last_name].join(" ").trim() || m.email;

export function Members({ isAdmin, currentUserId }: { isAdmin: boolean; currentUserId: string }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [status, setStatus] = useState("");
  const members = useQuery({ queryKey: MEMBERS, queryFn: () => trpc.members.list.query({ pageSize: 500 }) });

  const afterChange = (message: string, userId: string) => {
    setStatus(message);
    void queryClient.invalidateQueries({ queryKey: MEMBERS });
    // Changing one's own roles changes what this page may show.
    if (userId === currentUserId) router.refresh();
  };
  const assign = useMutation({
    mutationFn: (input: { user: string; role: RoleName; name: string }) => trpc.members.assign.mutate({ user: input.user, role: input.role }),
    onMutate: () => setStatus(""),
    onSuccess: (_r, input) => afterChange(`${input.name} is now ${roleLabel(input.role)}.`, input.user),
  });
  const revoke = useMutation({
    mutationFn: (input: { id: string; user: string; role: string; name: string }) => trpc.members.revoke.mutate({ id: input.id }),
    onMutate: () => setStatus(""),
    onSuccess: (_r, input) => afterChange(`${input.name} is no longer ${roleLabel(input.role)}.`, input.user),
  });
  const failure = assign.error ?? revoke.error ?? null;

  return (
    <section className={styles.section} aria-labelledby="members-title" aria-busy={members.isPending}>
      <div className={styles.sectionHead}>
        <h2 id="members-title">Members</h2>
        <span className={styles.count}>{members.data ? `${members.data.count} ${members.data.count === 1 ? "person" : "people"}` : "\u00a0"}</span>
      </div>
      <Feedback failure={failure} status={status} loadError={members.error} what="members" retry={() => void members.refetch()} />
      {members.isError ? null : members.data && members.data.results.length === 0 ? (
        <p className={styles.empty}>No members yet.</p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Roles</th>
              {isAdmin && <th scope="col">Add a role</th>}
            </tr>
          </thead>
          <tbody>
            {members.data
              ? members.data.results.map((m) => (
                  <MemberRow
                    key={m.id}
                    member={m}
                    isAdmin={isAdmin}
                    isYou={m.id === currentUserId}
                    busy={assign.isPending || revoke.isPending}
                    onAssign={(role) => assign.mutate({ user: m.id, role, name: displayName(m) })}
                    onRevoke={(assignment) =>
                      setConfirm({
                        title: `Remove the ${roleLabel(assignment.role)} role?`,
                        body: `${displayName(m)} will no longer be ${roleLabel(assignment.role)} in this agency${
                          m.id === currentUserId ? " — this is your own account" : ""
                        }.`,
                        confirmLabel: "Remove role",
                        onConfirm: () => revoke.mutate({ id: assignment.id, user: m.id, role: assignment.role, name: displayName(m) }),
                      })
                    }
                  />
                ))
              : [0, 1, 2].map((i) => <SkeletonRow key={i} columns={isAdmin ? 3 : 2} />)}
          </tbody>
        </table>
      )}
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}

function MemberRow(props: {
  member: Member;
  isAdmin: boolean;
  isYou: boolean;
  busy: boolean;
  onAssign: (role: RoleName) => void;
  onRevoke: (assignment: Member["roles"][number]) => void;
}) {
  const { member: m, isAdmin } = props;
  const name = displayName(m);
  const missing = ROLES.filter((r) => !m.roles.some((held) => held.role === r.value));
  const [choice, setChoice] = useState<RoleName | "">("");
  const selected = missing.some((r) => r.value === choice) ? (choice as RoleName) : (missing[0]?.value ?? "");
  return (
    <tr>
      <td>
        <div className={styles.name}>
          {name}
          {props.isYou && <span className={styles.count}> (you)</span>}
          {!m.is_active && <span className={styles.expired}> · deactivated</span>}
        </div>
        {name !== m.email && <div className={styles.sub}>{m.email}</div>}
      </td>
      <td>
        {m.roles.length === 0 ? (
          <span className={styles.none}>No role</span>
        ) : (
          <ul className={styles.badges} aria-label={`Roles of ${name}`} style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {m.roles.map((r) => (
              <li key={r.id} className={`${styles.badge} ${isAdmin ? "" : styles.badgeReadOnly}`}>
                {roleLabel(r.role)}
                {isAdmin && (
                  <button
                    type="button"
                    className={styles.badgeRemove}
                    aria-label={`Remove ${roleLabel(r.role)} role from ${name}`}
                    title={`Remove ${roleLabel(r.role)} role`}
                    disabled={props.busy}
                    onClick={() => props.onRevoke(r)}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </td>
      {isAdmin && (
        <td>
          {missing.length === 0 ? (
            <span className={styles.none}>Holds every role</span>
          ) : (
            <form
              className={styles.inline}
              onSubmit={(e) => {
                e.preventDefault();
                if (selected) props.onAssign(selected);
              }}
            >
              <label className="visually-hidden" htmlFor={`add-role-${m.id}`}>
                Role to add for {name}
              </label>
              <select id={`add-role-${m.id}`} className={styles.select} value={selected} onChange={(e) => setChoice(e.target.value as RoleName)}>
                {missing.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
              <button type="submit" className={`${styles.btn} ${styles.secondary}`} disabled={props.busy} aria-label={`Add role to ${name}`}>
                Add
              </button>
            </form>
          )}
        </td>
      )}
    </tr>
  );
}

export function SkeletonRow({ columns }: { columns: number }) {
  return (
    <tr aria-hidden="true">
      {Array.from({ length: columns }, (_, i) => (
        <td key={i}>
          <span className={form.skeleton} style={{ width: i === 0 ? "70%" : "50%" }} />
        </td>
      ))}
    </tr>
  );
}
