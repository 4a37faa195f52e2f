"use client";

import { useEffect, useRef } from "react";
import styles from "../../ui/team.module.css";

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
}

/**
 * A modal confirmation on the native <dialog>: it traps focus, closes on Escape and returns
 * focus to the button that opened it. The safe choice (Cancel) has focus first.
 */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (request && !dialog.open) dialog.showModal();
    if (!request && dialog.open) dialog.close();
  }, [request]);

  return (
    <dialog ref={ref} className={styles.dialog} aria-labelledby="confirm-title" aria-describedby="confirm-body" onClose={onClose}>
      {request && (
        <>
          <h2 id="confirm-title">{request.title}</h2>
          <p id="confirm-body">{request.body}</p>
          <div className={styles.actions}>
            <button type="button" className={`${styles.btn} ${styles.secondary}`} onClick={onClose} autoFocus>
              Cancel
            </button>
            <button
              type="button"
              className={`${styles.btn} ${styles.dangerSolid}`}
              onClick={() => {
                request.onConfirm();
                onClose();
              }}
            >
              {request.confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
