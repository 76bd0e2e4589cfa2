import dns from 'node:dns';
import net from 'node:net';

/**
 * Addresses a registry (or a redirect target, or a token realm) must never resolve to: link-local
 * networks and the cloud providers' instance-metadata endpoints, which hand out credentials to
 * whoever asks from inside the instance. Loopback and private networks stay allowed: a registry on
 * the same host or inside the cluster is ordinary (and is what the tests run against); the
 * metadata services are the targets that turn an image name into a credential leak.
 */
const refused = new net.BlockList();
refused.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, AWS/GCP/Azure/OpenStack metadata (169.254.169.254)
refused.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
refused.addAddress('192.0.0.192', 'ipv4'); // Oracle Cloud metadata (legacy)
refused.addSubnet('fe80::', 10, 'ipv6'); // link-local
refused.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
refused.addAddress('fd20:ce::254', 'ipv6'); // GCP metadata over IPv6

const refusedNames = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'metadata.azure.internal', 'instance-data', 'instance-data.ec2.internal']);

/** Why a host name may not be contacted, before any lookup; null when its name is fine. */
export function refusedHostName(hostname: string): string | null {
  const name = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  if (refusedNames.has(name)) return `${name} is a cloud metadata service`;
  if (net.isIP(name) !== 0) return refusedAddress(name);
  return null;
}

/** Why an address may not be contacted, or null. IPv4-mapped IPv6 addresses are judged as IPv4. */
export function refusedAddress(address: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const family = mapped !== undefined || net.isIPv4(address) ? 'ipv4' : 'ipv6';
  const plain = mapped ?? address;
  return refused.check(plain, family) ? `${address} is a link-local or cloud metadata address` : null;
}

export class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
  constructor(readonly hostname: string, readonly why: string) {
    super(`${hostname} is refused: ${why}`);
  }
}

/**
 * A `lookup` for `http.request`: resolves every address of the host and fails when any is refused,
 * so the check applies to the very addresses the connection uses (no second lookup to rebind).
 */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  const byName = refusedHostName(hostname);
  if (byName !== null) {
    callback(new RefusedAddressError(hostname, byName), '', 4);
    return;
  }
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    for (const { address } of addresses) {
      const why = refusedAddress(address);
      if (why !== null) return callback(new RefusedAddressError(hostname, why), '', 4);
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
    callback(null, first.address, first.family);
  });
};
