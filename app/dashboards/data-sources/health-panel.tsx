"use client";

import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import styles from "../../ui/data-sources.module.css";
import { formatTime } from "./recent-jobs";
import type { ConnectionHealth } from "./types";

const EVENT_LABEL: Record<string, string> = {
  "connection.needs_reauth": "Needs reconnecting",
  "connection.recovered": "Recovered",
  "sync.succeeded": "Sync succeeded",
  "sync.failed": "Sync failed",
  "connection.warning": "Failing for days",
  "connection.paused": "Paused after failures",
};

/** Health of one provider's connection: facts, records per run (last 30 runs) and the recent events. */
export function HealthPanel({ health, label }: { health: ConnectionHealth | undefined; label: string }) {
  if (!health) return null;
  const runs = health.runs.map((r, i) => ({ run: i + 1, records: r.records_synced ?? 0, status: r.status, at: r.finished_at }));
  return (
    <section className={styles.health} aria-label={`Health of ${label}`} data-testid="health">
      <dl className={styles.facts}>
        <dt>Last success</dt>
        <dd>{health.last_success_at ? formatTime(health.last_success_at) : "Never"}</dd>
        <dt>Failures in a row</dt>
        <dd data-testid="consecutive-failures">
          {health.consecutive_failures}
          {health.failing_since && <span className={styles.muted}> · since {formatTime(health.failing_since)}</span>}
        </dd>
        <dt>Next retry</dt>
        <dd>{health.next_retry_at ? formatTime(health.next_retry_at) : "—"}</dd>
      </dl>
      {health.alert === "warning" && <p className={styles.notice}>Syncs have failed for days. It will be paused if this goes on.</p>}
      {health.paused_reason && <p className={styles.notice}>{health.paused_reason}</p>}

      {runs.length > 0 && (
        <figure className={styles.chart} data-testid="records-chart">
          <figcaption className={styles.muted}>Records synced, last {runs.length} runs (✕ = failed run)</figcaption>
          {/* `responsive` sizes the SVG by plain CSS (the card's width), with no resize feedback loop. */}
          <BarChart responsive data={runs} style={{ width: "100%", height: 120 }} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="run" tick={{ fontSize: 11 }} tickLine={false} tickFormatter={(run: number) => (runs[run - 1]?.status === "failed" ? "✕" : String(run))} />
              <YAxis width={44} tick={{ fontSize: 11 }} tickLine={false} allowDecimals={false} />
              <Tooltip formatter={(value) => [Number(value).toLocaleString(), "records"]} labelFormatter={(run, items) => formatTime(String(items?.[0]?.payload?.at ?? "")) || `Run ${run}`} />
              <Bar dataKey="records" isAnimationActive={false}>
                {runs.map((r) => (
                  <Cell key={r.run} fill={r.status === "failed" ? "#d92d20" : "#2563eb"} />
                ))}
              </Bar>
          </BarChart>
        </figure>
      )}

      {health.recent_events.length > 0 && (
        <ul className={styles.events} aria-label={`Recent events of ${label}`}>
          {health.recent_events.map((e) => (
            <li key={e.id}>
              <span className={styles[`event_${e.type.split(".")[1]}`] ?? ""}>{EVENT_LABEL[e.type] ?? e.type}</span>
              <span className={styles.muted}> · {formatTime(e.created_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
