// Keeps CalDAV connections from reaching into Quorum's own network. A CalDAV address is typed by
// a user and fetched by the server, so without a check anyone could make Quorum call internal
// services (a cloud's metadata endpoint at 169.254.169.254, databases on 10.x) and read the
// answer's shape in the error. Addresses in private, link-local, shared, multicast and reserved
// ranges are refused unless the deployment allows private networks (an on-premises CalDAV
// server). Loopback stays allowed: the embedded default runs its CalDAV server on this machine.
//
// The check resolves the name when connecting and again before every use, which catches a name
// re-pointed later; a name that changes its answer between the check and the request itself is
// not caught (that needs pinning the resolved address in the HTTP client).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { CalendarConnectionError } from './connection-error.ts';

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}

/** True for an address Quorum must not call on a user's say-so. */
export function isNonPublicAddress(address: string): boolean {
  if (isLoopback(address)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isNonPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Throws CalendarConnectionError when `url`'s host is (or resolves to) a non-public address. */
export async function assertReachableCalDavHost(
  url: URL,
  options: { allowPrivateNetworks: boolean },
): Promise<void> {
  if (options.allowPrivateNetworks) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new CalendarConnectionError(
      'caldav-unreachable',
      `The CalDAV server name ${JSON.stringify(url.hostname)} could not be found. Check the address.`,
    );
  }
  if (addresses.some(isNonPublicAddress)) {
    throw new CalendarConnectionError(
      'caldav-private-address',
      `The CalDAV address ${url.origin} points into a private network, which Quorum does not call. ` +
        'Use your provider’s public CalDAV address; an administrator can allow private networks ' +
        '(QUORUM_CALDAV_ALLOW_PRIVATE_NETWORKS=true) for a server inside your network.',
    );
  }
}
