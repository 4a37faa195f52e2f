/**
 * A stand-in for Upstash Redis's REST API, backed by a real Redis: `POST /` runs one command,
 * `POST /pipeline` several, as JSON arrays (`["EVALSHA", sha, numkeys, ...]`), with
 * `Authorization: Bearer <token>`. Answers `{result}` / `{error}` like Upstash, base64-encoding
 * strings when the client sends `Upstash-Encoding: base64` (the client's default).
 *
 * Like Upstash, it accepts Lua scripts that begin with a `#!lua flags=` shebang (Redis 7 itself
 * rejects it), and it indexes scripts by the SHA-1 of the text the client sent.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";

export interface FakeUpstash {
  url: string;
  token: string;
  /** Commands served so far (to show the app really used this backend). */
  commands(): number;
  close(): Promise<void>;
}

type Reply = { result: unknown } | { error: string };

export async function startFakeUpstash(redisUrl: string): Promise<FakeUpstash> {
  const token = `fake-upstash-${Math.random().toString(36).slice(2)}`;
  const redis = new Redis(redisUrl);
  const scripts = new Map<string, string>(); // sha1(sent text) → sha1 of the text Redis runs
  let served = 0;

  async function run(command: unknown[]): Promise<unknown> {
    const [name, ...args] = command.map(String);
    const verb = name!.toUpperCase();
    if (verb === "EVAL") {
      const body = args[0]!.replace(/^#!lua[^\n]*\n/, "");
      const loaded = String(await redis.script("LOAD", body));
      scripts.set(createHash("sha1").update(args[0]!).digest("hex"), loaded);
      return redis.evalsha(loaded, args[1]!, ...args.slice(2));
    }
    if (verb === "EVALSHA") {
      const loaded = scripts.get(args[0]!);
      if (!loaded) throw new Error("NOSCRIPT No matching script. Please use EVAL.");
      return redis.evalsha(loaded, args[1]!, ...args.slice(2));
    }
    return redis.call(verb, ...args);
  }

  const encode = (value: unknown): unknown =>
    typeof value === "string" ? Buffer.from(value).toString("base64") : Array.isArray(value) ? value.map(encode) : value;

  async function answer(command: unknown[], base64: boolean): Promise<Reply> {
    served++;
    try {
      const result = await run(command);
      return { result: base64 && result !== "OK" ? encode(result) : result };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
      const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { error: "ERR failed to parse command" });
      }
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/pipeline" || path === "/multi-exec") {
        const replies = [];
        for (const command of body as unknown[][]) replies.push(await answer(command, base64));
        return send(200, replies);
      }
      const reply = await answer(body as unknown[], base64);
      send("error" in reply ? 400 : 200, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    commands: () => served,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}
