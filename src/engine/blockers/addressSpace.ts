/**
 * IP address spaces as Chromium's Local Network Access names them (`loopback`, `local`, `public`), and secure contexts.
 * Addresses are parsed by the WHATWG URL parser (it canonicalizes every IPv4 and IPv6 spelling); this file only
 * classifies the canonical forms, after Chromium's ip_address_space_util (RFC 1918, RFC 4193, RFC 6598, link-local).
 */

export type AddressSpace = 'loopback' | 'local' | 'public';

/** How a side's address space was known: from an IP literal or `localhost` in the URL, from the capture's address, or assumed. */
export type AddressSpaceSource = 'url-literal' | 'server-ip' | 'other-entry' | 'assumed';

/** The canonical host of a URL (`127.0.0.1`, `[::1]`, `api.example`), or undefined when it does not parse. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** An IP address (v4 dotted, or v6 with or without brackets) in canonical URL form, or undefined. */
function canonicalIp(address: string): string | undefined {
  const trimmed = address.trim();
  if (trimmed === '') return undefined;
  const bracketed = trimmed.includes(':') && !trimmed.startsWith('[') ? `[${trimmed}]` : trimmed;
  const host = hostOf(`http://${bracketed}/`);
  if (host === undefined) return undefined;
  return isIpLiteral(host) ? host : undefined;
}

function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

function ipv4Space(host: string): AddressSpace {
  const [a, b] = host.split('.').map(Number) as [number, number, number, number];
  if (a === 127 || host === '0.0.0.0') return 'loopback';
  if (a === 10) return 'local';
  if (a === 172 && b >= 16 && b <= 31) return 'local';
  if (a === 192 && b === 168) return 'local';
  if (a === 169 && b === 254) return 'local';
  if (a === 100 && b >= 64 && b <= 127) return 'local';
  return 'public';
}

/** The eight 16-bit groups of a canonical bracketed IPv6 host. */
function ipv6Groups(host: string): number[] | undefined {
  const inner = host.slice(1, -1);
  const [head = '', tail] = inner.split('::') as [string, string | undefined];
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const fill = 8 - front.length - back.length;
  if (fill < 0 || (tail === undefined && fill !== 0)) return undefined;
  const groups = [...front, ...new Array<number>(fill).fill(0), ...back];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function ipv6Space(host: string): AddressSpace {
  const groups = ipv6Groups(host);
  if (groups === undefined) return 'public';
  const zeroesUntil = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroesUntil(7) && groups[7] === 1) return 'loopback';
  if (zeroesUntil(5) && groups[5] === 0xffff) {
    // An IPv4-mapped address: the space of the IPv4 address.
    const v4 = `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
    return ipv4Space(v4);
  }
  const first = groups[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'local';
  if ((first & 0xffc0) === 0xfe80) return 'local';
  return 'public';
}

function spaceOfIpHost(host: string): AddressSpace {
  return host.startsWith('[') ? ipv6Space(host) : ipv4Space(host);
}

function isLocalhostName(host: string): boolean {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower.endsWith('.localhost');
}

/** The address space a URL's host states by itself (an IP literal or `localhost`), or undefined for other names. */
export function addressSpaceOfUrl(url: string): AddressSpace | undefined {
  const host = hostOf(url);
  if (host === undefined || host === '') return undefined;
  if (isLocalhostName(host)) return 'loopback';
  return isIpLiteral(host) ? spaceOfIpHost(host) : undefined;
}

/** The address space of a recorded address (`serverIPAddress`), or undefined when it is not an IP address. */
export function addressSpaceOfIp(address: string | undefined): AddressSpace | undefined {
  if (address === undefined) return undefined;
  const host = canonicalIp(address);
  return host === undefined ? undefined : spaceOfIpHost(host);
}

const PRIVACY: Readonly<Record<AddressSpace, number>> = { public: 0, local: 1, loopback: 2 };

/** Whether a request from `page` to `target` crosses into a more private address space (what LNA guards). */
export function isMorePrivate(target: AddressSpace, page: AddressSpace): boolean {
  return PRIVACY[target] > PRIVACY[page];
}

/**
 * Whether a page at `url` is a secure context as far as its URL tells: https/wss, or a potentially trustworthy
 * http origin (loopback literal or `localhost`). A frame inside an insecure page is not, which a URL cannot show.
 */
export function isPotentiallyTrustworthyUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'wss:') return true;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'ws:') return false;
  return addressSpaceOfUrl(url) === 'loopback';
}
