"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { errorMessage, trpc } from "../../trpc-client";
import form from "../../ui/form.module.css";
import styles from "../../ui/data-sources.module.css";
import { ACCOUNT_KIND, STATUSES_KEY, type Selection } from "./types";

/**
 * After a grant that reaches several accounts: the person picks one (radio group, so arrow keys
 * work); only that account's secret is kept. The heading takes focus so the choice is announced.
 */
export function AccountPicker(props: { selection: Selection; label: string; onDone: (message: string) => void; onCancel: () => void }) {
  const { selection } = props;
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState(selection.options[0]?.id ?? "");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const kind = ACCOUNT_KIND[selection.provider];
  const select = useMutation({
    mutationFn: () => trpc.connectors.selectAccount.mutate({ provider: selection.provider, selection_id: selection.selection_id, account_id: chosen }),
    onSuccess: (answer) => {
      void queryClient.invalidateQueries({ queryKey: STATUSES_KEY });
      if (answer.status === "connected") props.onDone(`${props.label} is connected to ${answer.credential.account_name || answer.credential.account_id}.`);
    },
  });

  return (
    <section className={styles.picker} aria-labelledby="picker-title">
      <h2 id="picker-title" ref={heading} tabIndex={-1}>
        Choose the {kind} to connect
      </h2>
      <p className={styles.muted}>
        Your {props.label} sign-in can reach {selection.options.length} {kind}s. ADinsights keeps access to the one you choose only.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          select.mutate();
        }}
      >
        <fieldset className={styles.options}>
          <legend className="visually-hidden">{`${kind}s`}</legend>
          {selection.options.map((option) => (
            <label key={option.id} className={styles.option}>
              <input type="radio" name="account" value={option.id} checked={chosen === option.id} onChange={() => setChosen(option.id)} />
              <span>
                <span className={styles.optionName}>{option.name}</span>
                <span className={styles.muted}>
                  {" "}
                  {option.id}
                  {option.category ? ` · ${option.category}` : ""}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {select.error != null && (
          <p role="alert" className={form.error}>
            {errorMessage(select.error)}
          </p>
        )}
        <div className={styles.actions}>
          <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className={styles.btn} disabled={!chosen || select.isPending}>
            {select.isPending ? "Connecting…" : `Connect this ${kind}`}
          </button>
        </div>
      </form>
    </section>
  );
}
