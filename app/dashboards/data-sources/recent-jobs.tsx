"use client";

import { useQuery } from "@tanstack/react-query";
import { errorMessage, trpc } from "../../trpc-client";
import styles from "../../ui/data-sources.module.css";
import { isActiveJob, jobsKey, TRIGGER_LABEL, type ProviderSlug } from "./types";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export const formatTime = (iso: string | null) => (iso ? when.format(new Date(iso)) : "—");
const duration = (s: number | null) => (s === null ? "—" : s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

/** The provider's last five jobs; polled every second while one is queued or running. */
export function RecentJobs({ provider, label, syncing }: { provider: ProviderSlug; label: string; syncing: boolean }) {
  const jobs = useQuery({
    queryKey: jobsKey(provider),
    queryFn: () => trpc.connectors.jobs.query({ provider, limit: 5 }),
    refetchInterval: (query) => (syncing || query.state.data?.jobs.some((j) => isActiveJob(j.status)) ? 1000 : false),
  });
  const caption = `Recent syncs of ${label}`;
  if (jobs.isError) return <p className={styles.muted}>Could not load the recent syncs: {errorMessage(jobs.error)}</p>;
  if (jobs.data && jobs.data.jobs.length === 0) return <p className={styles.muted}>No syncs yet.</p>;
  return (
    <div className={styles.jobsWrap}>
      <table className={styles.jobs} aria-busy={jobs.isPending}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Records</th>
          </tr>
        </thead>
        <tbody>
          {(jobs.data?.jobs ?? []).map((job) => (
            <tr key={job.job_id}>
              <td data-label="Job">
                <code title={job.job_id}>{job.job_id.slice(0, 8)}</code>
                <span className={styles.muted}> · {TRIGGER_LABEL[job.trigger] ?? job.trigger}</span>
              </td>
              <td data-label="Status">
                <span className={`${styles.jobStatus} ${styles[`job_${job.status}`] ?? ""}`}>{job.status}</span>
                {job.error && <span className={styles.jobError}>{job.error}</span>}
              </td>
              <td data-label="Started">{formatTime(job.started_at)}</td>
              <td data-label="Duration">{duration(job.duration_seconds)}</td>
              <td data-label="Records">{job.records_synced === null ? "—" : job.records_synced.toLocaleString()}</td>
            </tr>
          ))}
          {jobs.isPending && (
            <tr>
              <td colSpan={5} className={styles.muted}>
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
