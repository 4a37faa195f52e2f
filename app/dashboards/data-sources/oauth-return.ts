"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { errorMessage, trpc } from "../../trpc-client";
import { pendingKey, STATUSES_KEY, type ProviderSlug, type Selection } from "./types";

export type ReturnState =
  | { phase: "idle" }
  | { phase: "completing"; provider: ProviderSlug | null }
  | { phase: "choose"; selection: Selection }
  | { phase: "done"; message: string }
  | { phase: "failed"; message: string };

/**
 * Finishes an OAuth round trip when the page is opened with `code` and `state` (or a provider's
 * `error`): completes the callback through tRPC, hands a required account choice to the picker,
 * and removes the parameters from the address bar at once so a reload never replays a used state.
 */
export function useOAuthReturn(labelOf: (slug: ProviderSlug) => string) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ReturnState>({ phase: "idle" });
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const params = new URLSearchParams(window.location.search);
    const code = params.get("code");
    const oauthState = params.get("state");
    const providerError = params.get("error");
    if (!oauthState && !code && !providerError) return;
    window.history.replaceState(window.history.state, "", window.location.pathname);

    const remembered = oauthState ? (sessionStorage.getItem(pendingKey(oauthState)) as ProviderSlug | null) : null;
    if (oauthState) sessionStorage.removeItem(pendingKey(oauthState));
    // Runs after this effect so the first render stays plain (no state updates inside the effect body).
    queueMicrotask(() => {
      if (providerError) {
        const who = remembered ? labelOf(remembered) : "The provider";
        setState({ phase: "failed", message: `${who} did not grant access (${providerError}). Nothing was changed; you can connect again.` });
        return;
      }
      if (!code || !oauthState) {
        setState({ phase: "failed", message: "The sign-in answer was incomplete. Start the connection again." });
        return;
      }
      if (!remembered) {
        setState({ phase: "failed", message: "This sign-in was started in another tab or has already been used. Start the connection again from this page." });
        return;
      }
      setState({ phase: "completing", provider: remembered });
      trpc.connectors.completeCallback
        .mutate({ provider: remembered, code, state: oauthState })
        .then((answer) => {
          if (answer.status === "selection_required") setState({ phase: "choose", selection: answer });
          else setState({ phase: "done", message: `${labelOf(remembered)} is connected to ${answer.credential.account_name || answer.credential.account_id}.` });
          void queryClient.invalidateQueries({ queryKey: STATUSES_KEY });
        })
        .catch((error: unknown) => setState({ phase: "failed", message: `Could not connect ${labelOf(remembered)}: ${errorMessage(error)}` }));
    });
  }, [labelOf, queryClient]);

  return [state, setState] as const;
}
