import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Which peers may tell us the client's address in X-Forwarded-For (TRUST_PROXY): `false` none (the socket's peer
 * is the client), `true` every one (the leftmost address counts), a number of proxy hops in front of the server,
 * or a list of proxy addresses and CIDR ranges (or the names loopback, linklocal, uniquelocal).
 */
export type TrustProxy = boolean | number | string[];

const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Parses a TRUST_PROXY value; null when it is not one. */
export function parseTrustProxy(value: string): TrustProxy | null {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d{1,3}$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const entries = v.split(',').map((s) => s.trim());
  if (entries.length > 100 || !entries.every(isTrustEntry)) return null;
  return entries;
}

function isTrustEntry(entry: string): boolean {
  if (NAMED[entry]) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** An IPv4 address carried in IPv6 (::ffff:10.0.0.1) as IPv4, as proxies and Node report both. */
function plain(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

/**
 * The trust rule as Express's `trust proxy` function: may the peer at `address`, `hop` steps from the server, be
 * believed about the address before it? Given to Express and used for sockets, so both read addresses alike.
 */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_a, hop) => hop < trust;
  const list = new BlockList();
  for (const entry of trust.flatMap((e) => NAMED[e] ?? [e])) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const a = plain(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address for a raw request (a socket.io handshake, say), following the same TRUST_PROXY rule as
 * Express's `req.ip`: walk from the socket's peer back through X-Forwarded-For while the current hop is trusted.
 */
export function clientAddress(
  req: Pick<IncomingMessage, 'headers' | 'socket'>,
  trust: (address: string, hop: number) => boolean,
): string {
  const peer = req.socket?.remoteAddress ?? '';
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  const chain = [peer, ...forwarded];
  let i = 0;
  while (i < chain.length - 1 && trust(chain[i], i)) i++;
  return chain[i];
}
