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

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const SHEBANG = /^#!lua[^\n]*\n/;

interface Loaded {
  sha: string;
  body: string;
}

export class IoredisScripts {
  private readonly byOriginalHash = new Map<string, Loaded>();
  constructor(private readonly client: () => Redis) {}

  private async run(script: Loaded, keys: string[], args: unknown[]): Promise<unknown> {
    // No wait for a first connect here: the web app is connected before it serves (startWebApp),
    // and a command on a connection that is down fails at once so the store counts in memory.
    const c = this.client();
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
