/**
 * The slice of the Upstash Redis client that @upstash/ratelimit uses (`eval`/`evalsha`), spoken
 * over our ioredis connection.
 *
 * The library's Lua scripts begin with `#!lua flags=allow-key-locking`, a shebang Redis 7 rejects
 * ("unknown lua shebang flag"), so the adapter strips that line and runs the script under its own
 * SHA. The library calls `evalsha` with the hash of the *original* text; we map it to ours, and
 * answer NOSCRIPT for a hash we have not seen so the library sends the script through `eval`.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { redis } from "./redis";

/** How long the first command waits for the connection the process opens at start. */
export const FIRST_CONNECT_WAIT_MS = 2500;

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const SHEBANG = /^#!lua[^\n]*\n/;

interface Loaded {
  sha: string;
  body: string;
}

export class IoredisScripts {
  private readonly byOriginalHash = new Map<string, Loaded>();
  private firstConnect: Promise<void> | undefined;
  private started = false;

  constructor(private readonly client: () => Redis) {}

  private async connection(): Promise<Redis> {
    const c = this.client();
    // Right after start the first connect is still in flight; wait for it once, briefly (one
    // shared waiter), rather than count the first requests in memory. Later reconnects are not
    // waited for: commands fail at once and the store counts in memory.
    if (!this.started && (c.status === "wait" || c.status === "connecting")) {
      this.firstConnect ??= new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          c.off("ready", done).off("end", done).off("error", done);
          resolve();
        };
        const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS);
        c.once("ready", done).once("end", done).once("error", done);
      }).finally(() => (this.started = true));
      await this.firstConnect;
    }
    return c;
  }

  private async run(script: Loaded, keys: string[], args: unknown[]): Promise<unknown> {
    const c = await this.connection();
    const argv = args.map(String);
    try {
      return await c.evalsha(script.sha, keys.length, ...keys, ...argv);
    } catch (error) {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return c.eval(script.body, keys.length, ...keys, ...argv);
    }
  }

  async eval(script: string, keys: string[], args: unknown[]): Promise<unknown> {
    const body = script.replace(SHEBANG, "");
    const loaded = { sha: sha1(body), body };
    this.byOriginalHash.set(sha1(script), loaded);
    return this.run(loaded, keys, args);
  }

  async evalsha(hash: string, keys: string[], args: unknown[]): Promise<unknown> {
    const loaded = this.byOriginalHash.get(hash);
    if (!loaded) throw new Error("NOSCRIPT script not known to the adapter yet");
    return this.run(loaded, keys, args);
  }
}

let adapter: IoredisScripts | undefined;
export function ratelimitRedis(): IoredisScripts {
  adapter ??= new IoredisScripts(redis);
  return adapter;
}
