/**
 * The SSRF guard on its own: address ranges, names resolving to refused addresses (through an
 * injected resolver, so no machine DNS or /etc/hosts is touched), and the pinned connection: the
 * socket goes to the address that was checked, whatever the name would resolve to later.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { isForbiddenAddress } from "./address-policy";
import { checkDestination, DestinationRefused, postOnce, type Resolver } from "./post";

const resolverOf = (answers: Record<string, string[]>): Resolver => async (host) => {
  const addresses = answers[host];
  if (!addresses) throw new Error("ENOTFOUND");
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

describe("address policy", () => {
  it.each([
    "127.0.0.1", "127.9.9.9", "10.0.0.1", "10.255.1.2", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.169.254",
    "0.0.0.0", "100.64.0.1", "224.0.0.1", "::1", "[::1]", "::", "fc00::1", "fd12:3456::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "not-an-ip",
  ])("refuses %s", (ip) => expect(isForbiddenAddress(ip)).toBe(true));

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:93.184.216.34"])("allows %s", (ip) => expect(isForbiddenAddress(ip)).toBe(false));
});

describe("checkDestination", () => {
  const strict = (answers: Record<string, string[]> = {}) => ({ allowPrivate: false, resolver: resolverOf(answers) });

  it("refuses literal private, loopback and link-local hosts and http:// in strict mode", async () => {
    for (const url of ["https://127.0.0.1/x", "https://10.1.2.3/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://[fe80::1]/x"])
      await expect(checkDestination(url, strict()), url).rejects.toThrow("private, loopback or link-local");
    await expect(checkDestination("http://93.184.216.34/x", strict())).rejects.toThrow("must use https://");
    await expect(checkDestination("https://user:pw@example.test/x", strict({ "example.test": ["93.184.216.34"] }))).rejects.toThrow("credentials");
  });

  it("refuses a name that resolves to a refused address, even when another of its answers is public", async () => {
    await expect(checkDestination("https://inside.test/x", strict({ "inside.test": ["10.0.0.7"] }))).rejects.toBeInstanceOf(DestinationRefused);
    await expect(checkDestination("https://meta.test/x", strict({ "meta.test": ["169.254.169.254"] }))).rejects.toThrow("link-local");
    await expect(checkDestination("https://mixed.test/x", strict({ "mixed.test": ["93.184.216.34", "127.0.0.1"] }))).rejects.toThrow("loopback");
    await expect(checkDestination("https://nowhere.test/x", strict())).rejects.toThrow("could not be resolved");
    expect((await checkDestination("https://public.test/x", strict({ "public.test": ["93.184.216.34"] }))).address).toBe("93.184.216.34");
  });

  it("the system resolver: localhost is loopback and refused", async () => {
    await expect(checkDestination("https://localhost/x", { allowPrivate: false })).rejects.toThrow("loopback");
  });
});

describe("postOnce", () => {
  it("connects to the checked address (pinned), keeps the name in Host, and times out", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.host));
      if (req.url === "/slow") return; // never answers
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      // "receiver.test" exists only in this resolver: the request can only arrive through the pinned address.
      const resolver = resolverOf({ "receiver.test": ["127.0.0.1"] });
      const ok = await postOnce({ url: `http://receiver.test:${port}/hook`, headers: {}, body: "{}", timeoutMs: 2_000, allowPrivate: true, resolver });
      expect(ok.status).toBe(204);
      expect(seen).toEqual([`receiver.test:${port}`]);
      await expect(postOnce({ url: `http://receiver.test:${port}/hook`, headers: {}, body: "{}", timeoutMs: 2_000, allowPrivate: false, resolver })).rejects.toThrow("https://");
      await expect(postOnce({ url: `http://127.0.0.1:${port}/slow`, headers: {}, body: "{}", timeoutMs: 300, allowPrivate: true })).rejects.toThrow("no answer within 300 ms");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
