/**
 * Which destinations a webhook may reach. Loopback, private, link-local, CGNAT, multicast and
 * reserved ranges are refused (spec health.md), in IPv4, IPv6 and IPv4-mapped IPv6 spellings, so
 * an endpoint cannot be used to probe our own network or a cloud metadata service.
 */
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

/** True when `ip` (a literal address) must not be contacted. */
export function isForbiddenAddress(ip: string): boolean {
  const literal = ip.replace(/^\[|\]$/g, "");
  const version = isIP(literal);
  if (version === 4) return blocked.check(literal, "ipv4");
  if (version !== 6) return true; // not an address at all: refuse rather than guess
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(literal) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(literal);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  // ::ffff:7f00:1 (mapped, hex spelling)
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(literal);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, "ipv4");
  }
  return blocked.check(literal, "ipv6");
}
