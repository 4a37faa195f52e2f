/**
 * Starts every external-service fake and returns the env that points the app and worker at them.
 * Used by the test global setup and by `npm run demo`.
 */
import { airbyteEnv, startAirbyteFake } from "./airbyte";
import type { Fake } from "./fake-server";
import { googleEnv, startGoogleFake } from "./google";
import { metaEnv, startMetaFake } from "./meta";

export interface Fakes {
  google: Fake;
  meta: Fake;
  airbyte: Fake;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Fixed, obviously fake identities; the fakes accept only these. */
export const FAKE_IDENTITIES = {
  google: { clientId: "fake-google-client.apps.googleusercontent.com", clientSecret: "fake-google-secret", developerToken: "fake-dev-token" },
  meta: { appId: "100000000000001", appSecret: "fake-meta-app-secret" },
  airbyte: { apiToken: "fake-airbyte-token" },
  workspaceId: "5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6",
  destinationId: "e0b7d7a0-5f8c-4b3e-9d51-4c1c2a8c0b11",
};

export async function startFakes(ports: { google?: number; meta?: number; airbyte?: number } = {}): Promise<Fakes> {
  const ids = FAKE_IDENTITIES;
  const google = await startGoogleFake({ ...ids.google, port: ports.google });
  const meta = await startMetaFake({ ...ids.meta, port: ports.meta });
  const airbyte = await startAirbyteFake({ ...ids.airbyte, port: ports.airbyte });
  return {
    google,
    meta,
    airbyte,
    env: {
      ...googleEnv(google, ids.google),
      ...metaEnv(meta, ids.meta),
      ...airbyteEnv(airbyte, ids.airbyte),
      AIRBYTE_DEFAULT_WORKSPACE_ID: ids.workspaceId,
      AIRBYTE_DEFAULT_DESTINATION_ID: ids.destinationId,
      FAKE_GOOGLE_URL: google.url,
      FAKE_META_URL: meta.url,
      FAKE_AIRBYTE_URL: airbyte.url,
    },
    close: async () => {
      await Promise.all([google.close(), meta.close(), airbyte.close()]);
    },
  };
}
