"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage, trpc } from "../../trpc-client";
import form from "../../ui/form.module.css";
import styles from "../../ui/data-sources.module.css";
import { formatTime } from "../data-sources/recent-jobs";

const EVENT_TYPES = ["connection.needs_reauth", "connection.recovered", "sync.succeeded", "sync.failed", "connection.warning", "connection.paused"] as const;
const KEY = ["webhooks.list"];

/** Settings → Webhooks: register endpoints, see the secret once, rotate it, read deliveries, redeliver. */
export function Webhooks() {
  const queryClient = useQueryClient();
  const id = useId();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({ queryKey: KEY, queryFn: () => trpc.webhooks.list.query() });
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEY });
  const create = useMutation({
    mutationFn: () => trpc.webhooks.create.mutate({ url, events: events as (typeof EVENT_TYPES)[number][] }),
    onSuccess: async (made) => {
      setSecret({ url: made.url, secret: made.secret });
      setUrl("");
      setEvents([]);
      await refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (endpoint: { id: string; url: string }) => trpc.webhooks.rotateSecret.mutate({ id: endpoint.id }).then((r) => ({ ...r, url: endpoint.url })),
    onSuccess: (r) => setSecret(r),
  });
  const toggle = useMutation({ mutationFn: (e: { id: string; is_active: boolean }) => trpc.webhooks.update.mutate(e), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (endpointId: string) => trpc.webhooks.delete.mutate({ id: endpointId }), onSuccess: refresh });
  const failure = create.error ?? rotate.error ?? toggle.error ?? remove.error;

  return (
    <section className={styles.card} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Webhooks</h2>
      <p className={styles.muted}>
        Each delivery is a signed POST (<code>X-ADinsights-Signature</code>, HMAC-SHA256), retried with backoff for 24 hours.
      </p>
      {secret && (
        <div role="status" className={styles.notice} data-testid="webhook-secret">
          Signing secret for {secret.url} — copy it now, it is not shown again: <code>{secret.secret}</code>{" "}
          <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      {failure && (
        <p role="alert" className={form.error}>
          {errorMessage(failure)}
        </p>
      )}
      <form
        className={styles.provision}
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label htmlFor={`${id}-url`}>Endpoint URL</label>
        <input id={`${id}-url`} className={styles.select} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/adinsights" />
        <fieldset className={styles.options}>
          <legend>Events (none = all)</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type} style={{ fontWeight: 400 }}>
              <input type="checkbox" checked={events.includes(type)} onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((x) => x !== type))} /> {type}
            </label>
          ))}
        </fieldset>
        <div className={styles.actions}>
          <button type="submit" className={styles.btn} disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add endpoint"}
          </button>
        </div>
      </form>
      {list.isError && <p className={form.error}>Could not load the webhooks: {errorMessage(list.error)}</p>}
      {list.data?.length === 0 && <p className={styles.muted}>No endpoints yet.</p>}
      <ul className={styles.events} aria-label="Webhook endpoints">
        {(list.data ?? []).map((e) => (
          <li key={e.id} className={styles.recent} data-testid="webhook-endpoint">
            <strong style={{ overflowWrap: "anywhere" }}>{e.url}</strong>
            <span className={styles.muted}>
              {" "}
              · {e.is_active ? "active" : "disabled"} · {e.events.length === 0 ? "all events" : e.events.join(", ")}
            </span>
            {e.disabled_reason && <p className={form.error}>{e.disabled_reason}</p>}
            <div className={styles.actions}>
              <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={() => setOpen(open === e.id ? null : e.id)}>
                {open === e.id ? "Hide deliveries" : "Deliveries"}
              </button>
              <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={() => rotate.mutate(e)}>
                Rotate secret
              </button>
              <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={() => toggle.mutate({ id: e.id, is_active: !e.is_active })}>
                {e.is_active ? "Disable" : "Enable"}
              </button>
              <button type="button" className={`${styles.btn} ${styles.danger}`} onClick={() => remove.mutate(e.id)}>
                Delete
              </button>
            </div>
            {open === e.id && <Deliveries endpointId={e.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const queryClient = useQueryClient();
  const key = ["webhooks.deliveries", endpointId];
  const deliveries = useQuery({ queryKey: key, queryFn: () => trpc.webhooks.deliveries.query({ id: endpointId }), refetchInterval: 2000 });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) => trpc.webhooks.redeliver.mutate({ id: endpointId, deliveryId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  if (deliveries.data?.length === 0) return <p className={styles.muted}>No deliveries yet.</p>;
  return (
    <div className={styles.jobsWrap}>
      <table className={styles.jobs}>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Next retry</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {(deliveries.data ?? []).map((d) => (
            <tr key={d.id}>
              <td data-label="Event">{d.event_type}</td>
              <td data-label="Status">{d.status}</td>
              <td data-label="Attempts">{d.attempts}</td>
              <td data-label="Last answer">{d.last_status_code ?? d.last_error ?? "—"}</td>
              <td data-label="Next retry">{formatTime(d.next_attempt_at)}</td>
              <td>
                <button type="button" className={`${styles.btn} ${styles.secondary}`} disabled={redeliver.isPending} onClick={() => redeliver.mutate(d.id)}>
                  Redeliver
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
