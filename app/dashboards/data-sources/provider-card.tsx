"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage, trpc } from "../../trpc-client";
import form from "../../ui/form.module.css";
import styles from "../../ui/data-sources.module.css";
import type { ConfirmRequest } from "../team/confirm-dialog";
import { formatTime, RecentJobs } from "./recent-jobs";
import { describeSchedule, SCHEDULES, type ScheduleId } from "./schedules";
import { HealthPanel } from "./health-panel";
import { HEALTH_KEY, isActiveJob, jobsKey, pendingKey, STATE_LABEL, STATUSES_KEY, type ConnectionHealth, type ProviderStatus } from "./types";

const TOKEN_LABEL: Record<string, string> = { valid: "Valid", expiring: "Expiring soon", needs_reauth: "Needs reconnecting" };

interface Props {
  status: ProviderStatus;
  health: ConnectionHealth | undefined;
  isAdmin: boolean;
  canSync: boolean;
  confirm: (request: ConfirmRequest) => void;
  announce: (message: string) => void;
}

/** One provider: its state, account, token and last sync, the actions the role allows, and recent jobs. */
export function ProviderCard({ status, health, isAdmin, canSync, confirm, announce }: Props) {
  const queryClient = useQueryClient();
  const id = useId();
  const [schedule, setSchedule] = useState<ScheduleId>("hourly-daytime");
  const { provider, label, state } = status;
  const credential = status.credentials[0] ?? null;
  const connection = status.connections.find((c) => c.id === status.latest_connection_id) ?? null;
  const syncing = state === "syncing" || isActiveJob(status.last_job?.status);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: STATUSES_KEY }),
      queryClient.invalidateQueries({ queryKey: jobsKey(provider) }),
      queryClient.invalidateQueries({ queryKey: HEALTH_KEY }),
    ]);
  const start = useMutation({
    mutationFn: () => trpc.connectors.start.mutate({ provider, return_path: "/dashboards/data-sources" }),
    onMutate: () => announce(""),
    onSuccess: (answer) => {
      sessionStorage.setItem(pendingKey(answer.state), provider);
      window.location.assign(answer.authorize_url);
    },
  });
  const provision = useMutation({
    mutationFn: () => trpc.connectors.provision.mutate({ provider, ...SCHEDULES.find((s) => s.id === schedule)!.input }),
    onMutate: () => announce(""),
    onSuccess: async () => {
      await refresh();
      announce(`${label} is provisioned: ${SCHEDULES.find((s) => s.id === schedule)!.label.toLowerCase()}.`);
    },
  });
  const sync = useMutation({
    mutationFn: () => trpc.connectors.sync.mutate({ provider }),
    onMutate: () => announce(""),
    onSuccess: async (answer) => {
      await refresh();
      announce(answer.deduplicated ? `A sync of ${label} is already running.` : `Sync of ${label} started.`);
    },
  });
  const disconnect = useMutation({
    mutationFn: () => trpc.connectors.disconnect.mutate({ provider }),
    onMutate: () => announce(""),
    onSuccess: async (answer) => {
      await refresh();
      announce(`${label} is disconnected${answer.revoked ? "" : " (the provider could not be told to revoke access; you can remove ADinsights there)"}.`);
    },
  });
  const failure = start.error ?? provision.error ?? sync.error ?? disconnect.error ?? null;
  const failedAction = start.error ? "connect" : provision.error ? "provision" : sync.error ? "sync" : "disconnect";

  const connected = state !== "not_connected";
  const canProvision = isAdmin && (state === "needs_provisioning" || state === "paused");
  const canSyncNow = canSync && connection?.is_active === true && state !== "needs_reauth";

  return (
    <article className={styles.card} aria-labelledby={`${id}-title`} data-provider={provider} data-state={state}>
      <header className={styles.cardHead}>
        <h2 id={`${id}-title`}>{label}</h2>
        <span className={`${styles.state} ${styles[`state_${state}`]}`}>{STATE_LABEL[state]}</span>
      </header>

      <dl className={styles.facts}>
        <dt>Account</dt>
        <dd>{credential ? <>{credential.account_name || credential.account_id}{credential.account_name && credential.account_name !== credential.account_id && <span className={styles.muted}> · {credential.account_id}</span>}</> : "None"}</dd>
        <dt>Token</dt>
        <dd>
          {credential ? TOKEN_LABEL[credential.token_status] ?? credential.token_status : "—"}
          {credential?.token_status_reason && <span className={styles.muted}> · {credential.token_status_reason}</span>}
        </dd>
        <dt>Last sync</dt>
        <dd>{connection?.last_synced_at ? formatTime(connection.last_synced_at) : "Never"}</dd>
        <dt>Schedule</dt>
        <dd>
          {connection ? `${describeSchedule(connection)}${connection.is_active ? "" : " (paused)"}` : "Not provisioned"}
          {connection?.is_active && connection.next_sync_at && <span className={styles.muted}> · next {formatTime(connection.next_sync_at)}</span>}
        </dd>
      </dl>

      {connected && <HealthPanel health={health} label={label} />}

      {state === "error" && status.last_job?.error && (
        <p className={form.error}>The last sync failed: {status.last_job.error}</p>
      )}
      {state === "needs_reauth" && isAdmin && <p className={styles.notice}>Access to this account has lapsed. Reconnect to resume syncing.</p>}

      {failure != null && (
        <p role="alert" className={form.error}>
          Could not {failedAction} {label}: {errorMessage(failure)}
        </p>
      )}

      {canProvision && (
        <div className={styles.provision}>
          <label htmlFor={`${id}-schedule`}>Sync schedule</label>
          <select id={`${id}-schedule`} className={styles.select} value={schedule} onChange={(e) => setSchedule(e.target.value as ScheduleId)}>
            {SCHEDULES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      )}

      {(isAdmin || canSyncNow) && (
        <div className={styles.actions}>
          {isAdmin && !connected && (
            <button type="button" className={styles.btn} disabled={start.isPending} onClick={() => start.mutate()} aria-label={`Connect ${label}`}>
              {start.isPending ? "Opening…" : "Connect"}
            </button>
          )}
          {canProvision && (
            <button type="button" className={styles.btn} disabled={provision.isPending} onClick={() => provision.mutate()} aria-label={`Provision ${label}`}>
              {provision.isPending ? "Provisioning…" : "Provision"}
            </button>
          )}
          {canSyncNow && (
            <button type="button" className={styles.btn} disabled={sync.isPending || syncing} onClick={() => sync.mutate()} aria-label={`Sync ${label} now`}>
              {syncing ? "Syncing…" : "Sync now"}
            </button>
          )}
          {isAdmin && connected && (
            <button type="button" className={`${styles.btn} ${styles.secondary}`} disabled={start.isPending} onClick={() => start.mutate()} aria-label={`Reconnect ${label}`}>
              Reconnect
            </button>
          )}
          {isAdmin && connected && (
            <button
              type="button"
              className={`${styles.btn} ${styles.danger}`}
              disabled={disconnect.isPending}
              aria-label={`Disconnect ${label}`}
              onClick={() =>
                confirm({
                  title: `Disconnect ${label}?`,
                  body: `ADinsights will revoke its access to ${credential?.account_name || "this account"}, pause its syncs and forget the stored credentials. Synced data stays.`,
                  confirmLabel: "Disconnect",
                  onConfirm: () => disconnect.mutate(),
                })
              }
            >
              Disconnect
            </button>
          )}
        </div>
      )}

      {connected && (
        <section aria-label={`Recent syncs of ${label}`} className={styles.recent}>
          <h3>Recent syncs</h3>
          <RecentJobs provider={provider} label={label} syncing={syncing} />
        </section>
      )}
    </article>
  );
}

/** Same frame as a card, so nothing moves when the data arrives. */
export function SkeletonCard({ label }: { label: string }) {
  return (
    <article className={styles.card} aria-hidden="true">
      <header className={styles.cardHead}>
        <h2>{label}</h2>
        <span className={`${styles.state} ${styles.skeleton}`}>Loading</span>
      </header>
      <dl className={styles.facts}>
        {["Account", "Token", "Last sync", "Schedule"].map((t) => (
          <div key={t} style={{ display: "contents" }}>
            <dt>{t}</dt>
            <dd>
              <span className={styles.skeletonLine} />
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
