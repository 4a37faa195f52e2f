/**
 * One webhook delivery attempt over HTTP(S), safe against server-side request forgery:
 * the host name is resolved once, every address it resolves to is checked against the address
 * policy, and the connection is made to the address that was checked (a pinned `lookup`), so a
 * DNS answer that changes between check and connect (rebinding) cannot redirect us. Redirects
 * are answered as failures and never followed; the whole attempt has one deadline.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isForbiddenAddress } from "./address-policy";

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DestinationRefused";
  }
}

export interface DestinationOptions {
  allowPrivate: boolean;
  resolver?: Resolver;
}

/** Checks a URL's scheme and host (resolving names); returns the address to connect to. */
export async function checkDestination(raw: string, options: DestinationOptions): Promise<{ url: URL; address: string; family: number }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationRefused("Enter a valid URL.");
  }
  if (url.protocol !== "https:" && !(options.allowPrivate && url.protocol === "http:")) throw new DestinationRefused("The URL must use https://.");
  if (url.username || url.password) throw new DestinationRefused("The URL must not contain credentials.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (options.resolver ?? systemResolver)(host);
    } catch {
      throw new DestinationRefused("The host name could not be resolved.");
    }
    if (addresses.length === 0) throw new DestinationRefused("The host name could not be resolved.");
  }
  // Every answer must be public: a name with one private address could be made to use it.
  if (!options.allowPrivate && addresses.some((a) => isForbiddenAddress(a.address)))
    throw new DestinationRefused("The URL points to a private, loopback or link-local address.");
  return { url, address: addresses[0]!.address, family: addresses[0]!.family };
}

export interface PostResult {
  status: number;
}

export interface PostOptions extends DestinationOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** POSTs once; resolves with the status (any), rejects on refusal, network error or timeout. */
export async function postOnce(options: PostOptions): Promise<PostResult> {
  const { url, address, family } = await checkDestination(options.url, options);
  const pinned = ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (lookupOptions?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "POST",
        lookup: pinned,
        agent: false,
        headers: { ...options.headers, "content-length": Buffer.byteLength(options.body).toString() },
      },
      (res) => {
        // The answer's body is not ours to keep: drain it so the socket closes, then report the status.
        res.on("data", () => {});
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.on("error", reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}
