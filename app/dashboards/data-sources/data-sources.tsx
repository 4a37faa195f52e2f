"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { errorMessage, trpc } from "../../trpc-client";
import form from "../../ui/form.module.css";
import styles from "../../ui/data-sources.module.css";
import { ConfirmDialog, type ConfirmRequest } from "../team/confirm-dialog";
import { AccountPicker } from "./account-picker";
import { useOAuthReturn } from "./oauth-return";
import { ProviderCard, SkeletonCard } from "./provider-card";
import { HEALTH_KEY, STATUSES_KEY, type ProviderSlug } from "./types";

const LABELS: Record<ProviderSlug, string> = {
  facebook_pages: "Facebook Pages",
  meta_ads: "Meta Ads",
  google_ads: "Google Ads",
  ga4: "Google Analytics 4",
  search_console: "Google Search Console",
};

export function DataSources({ isAdmin, canSync }: { isAdmin: boolean; canSync: boolean }) {
  const labelOf = useCallback((slug: ProviderSlug) => LABELS[slug] ?? slug, []);
  const [oauth, setOAuth] = useOAuthReturn(labelOf);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [status, setStatus] = useState("");
  // One call for all five providers; polled while any of them is syncing.
  const statuses = useQuery({
    queryKey: STATUSES_KEY,
    queryFn: () => trpc.connectors.statuses.query(),
    refetchInterval: (query) => (query.state.data?.some((s) => s.state === "syncing") ? 1000 : false),
  });
  // Health of every provider (three statements), read again whenever the statuses were, so it is never older.
  const health = useQuery({
    queryKey: [...HEALTH_KEY, statuses.dataUpdatedAt],
    queryFn: () => trpc.health.connections.query(),
    enabled: statuses.isSuccess,
    placeholderData: keepPreviousData,
  });

  return (
    <div className={styles.page}>
      <div>
        <h1 className={styles.title}>Data sources</h1>
        <p className={styles.muted}>
          {isAdmin
            ? "Connect your ad and analytics accounts, choose how often they sync, and watch each sync."
            : canSync
              ? "The agency's connected accounts. You can start a sync; only administrators can connect or disconnect accounts."
              : "The agency's connected accounts and their syncs. Only administrators can connect accounts and only analysts or administrators can start a sync."}
        </p>
      </div>

      {oauth.phase === "completing" && (
        <p role="status" className={styles.notice}>
          Finishing the connection{oauth.provider ? ` to ${labelOf(oauth.provider)}` : ""}…
        </p>
      )}
      {oauth.phase === "failed" && (
        <p role="alert" className={form.error}>
          {oauth.message}
        </p>
      )}
      {oauth.phase === "choose" && (
        <AccountPicker
          selection={oauth.selection}
          label={labelOf(oauth.selection.provider)}
          onDone={(message) => setOAuth({ phase: "done", message })}
          onCancel={() => setOAuth({ phase: "failed", message: "No account was chosen, so nothing was connected. You can connect again at any time." })}
        />
      )}
      <p role="status" className={oauth.phase === "done" || status ? form.success : "visually-hidden"}>
        {oauth.phase === "done" ? oauth.message : status}
      </p>

      {statuses.isError && (
        <div role="alert" className={form.error}>
          Could not load the data sources: {errorMessage(statuses.error)}{" "}
          <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={() => void statuses.refetch()}>
            Try again
          </button>
        </div>
      )}
      <ul className={styles.grid} aria-busy={statuses.isPending} aria-label="Providers">
        {statuses.data
          ? statuses.data.map((s) => (
              <li key={s.provider}>
                <ProviderCard status={s} health={health.data?.find((h) => h.provider === s.provider)} isAdmin={isAdmin} canSync={canSync} confirm={setConfirm} announce={setStatus} />
              </li>
            ))
          : !statuses.isError &&
            Object.keys(LABELS).map((slug) => (
              <li key={slug}>
                <SkeletonCard label={LABELS[slug as ProviderSlug]} />
              </li>
            ))}
      </ul>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </div>
  );
}
