/**
 * Local Network Access (Chromium 142+, ../shared/research/beside-cors.md §1): a page reaching a more private address
 * space than its own (public → local or loopback, local → loopback) needs the user's permission, asked before any CORS
 * header is read. `check` cannot ask the user, so it says when that permission stands between the page and the server.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type AddressSpace = 'loopback' | 'local' | 'public';

const RANK: Readonly<Record<AddressSpace, number>> = { public: 0, local: 1, loopback: 2 };

function ipv4Space(address: string): AddressSpace {
  const [a = 0, b = 0] = address.split('.').map(Number);
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0) {
    return 'local';
  }
  return 'public';
}

/** The address space of an IP address (v4, v6, or v4-mapped v6). */
export function addressSpaceOf(address: string): AddressSpace {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(ip) === 4) return ipv4Space(ip);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped?.[1]) return ipv4Space(mapped[1]);
  if (ip === '::1') return 'loopback';
  if (/^f[cd]/.test(ip) || /^fe[89ab]/.test(ip)) return 'local';
  return 'public';
}

/** The page's address space from its origin: an address or `localhost` as written, else what the name resolves to. */
export async function pageAddressSpace(origin: string): Promise<AddressSpace | undefined> {
  if (origin === 'null') return undefined;
  const host = new URL(origin).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (isIP(host) !== 0) return addressSpaceOf(host);
  try {
    const resolved = await Promise.race([
      lookup(host),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000).unref()),
    ]);
    return resolved === undefined ? undefined : addressSpaceOf(resolved.address);
  } catch {
    return undefined;
  }
}

/** The note `check` prints when the server is in a more private address space than the page, else undefined. */
export function localNetworkAccessNote(page: AddressSpace | undefined, target: AddressSpace, origin: string, url: string): string | undefined {
  if (page === undefined || RANK[target] <= RANK[page]) return undefined;
  const permission = target === 'loopback' ? 'loopback-network' : 'local-network';
  return (
    `Local Network Access: the page (${origin}, ${page} address space) reaches ${url} in the ${target} address space. ` +
    `Chromium asks the user for the ${permission} permission before sending it; without it the request fails before CORS ` +
    `(LocalNetworkAccessPermissionDenied${origin.startsWith('http:') ? ', or InsecureLocalNetwork for a page not served over https' : ''}), ` +
    'and no server header changes that. The verdict here is the one given the permission.'
  );
}
