/**
 * The optional allow-list of node endpoints (PLIMSOLL_NODE_ALLOWLIST): CIDRs and IP addresses (node's
 * net.BlockList), host names and `*.domain` wildcards, and `unix:///socket` paths. A tcp endpoint is allowed
 * when its host name is listed, or when every address the name resolves to lies in a listed range. Checked
 * at registration and before every connection; the connection itself resolves through `lookup`, which
 * refuses an address outside the ranges, so a name that resolves differently later is caught too.
 */
import dns from 'node:dns';
import net from 'node:net';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { parseEndpoint } from './endpoint.js';

/** What a DNS lookup answers: every address of a name. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

/** node's `lookup` option of sockets and agents. */
export type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => void;

export interface EndpointPolicy {
  /** Resolves when the endpoint may be used; NODE_NOT_ALLOWED otherwise. */
  check(endpoint: string): Promise<void>;
  /** A lookup for connections that refuses addresses outside the list; undefined when everything is allowed. */
  readonly lookup?: LookupFunction;
}

/** No allow-list: every endpoint may be used. */
export const ALLOW_ALL_ENDPOINTS: EndpointPolicy = { check: async () => undefined };

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

function notAllowed(endpoint: string, why: string): PlimsollError {
  return new PlimsollError(ErrorCode.NODE_NOT_ALLOWED, `Docker endpoint ${endpoint} is not allowed: ${why} (PLIMSOLL_NODE_ALLOWLIST)`);
}

/** An IPv4-mapped IPv6 address as its IPv4 form, so `::ffff:10.0.0.1` matches 10.0.0.0/8. */
function plainAddress(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: 'ipv4' };
  return { address, type: net.isIPv6(address) ? 'ipv6' : 'ipv4' };
}

class AllowList implements EndpointPolicy {
  private readonly ranges = new net.BlockList();
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly sockets = new Set<string>();
  readonly lookup: LookupFunction;

  constructor(entries: readonly string[], private readonly resolve: Resolver) {
    const bad: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
      if (entry.startsWith('unix://')) {
        try {
          const parsed = parseEndpoint(entry);
          if (parsed.kind === 'unix') this.sockets.add(parsed.socketPath);
        } catch {
          bad.push(raw);
        }
      } else if (cidr && net.isIP(cidr[1]!) !== 0 && Number(cidr[2]) <= (net.isIPv6(cidr[1]!) ? 128 : 32)) {
        this.ranges.addSubnet(cidr[1]!, Number(cidr[2]), net.isIPv6(cidr[1]!) ? 'ipv6' : 'ipv4');
      } else if (net.isIP(entry) !== 0) {
        this.ranges.addAddress(entry, net.isIPv6(entry) ? 'ipv6' : 'ipv4');
      } else if (/^\*\.[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(entry)) {
        this.suffixes.push(entry.slice(1));
      } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) {
        this.names.add(entry);
      } else {
        bad.push(raw);
      }
    }
    if (bad.length > 0) {
      throw new PlimsollError(ErrorCode.CONFIG_INVALID, `PLIMSOLL_NODE_ALLOWLIST has entries that are neither a CIDR, an IP address, a host name, *.domain nor unix:///socket: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
    }
    this.lookup = (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, []);
        const list = addresses as dns.LookupAddress[];
        const refused = this.byName(hostname) ? undefined : list.find((a) => !this.inRanges(a.address));
        if (refused !== undefined) {
          const e: NodeJS.ErrnoException = new Error(`${hostname} resolved to ${refused.address}, outside PLIMSOLL_NODE_ALLOWLIST`);
          e.code = 'PLIMSOLL_NODE_NOT_ALLOWED';
          return callback(e, []);
        }
        if (options.all) return callback(null, list);
        return callback(null, list[0]!.address, list[0]!.family);
      });
    };
  }

  async check(endpoint: string): Promise<void> {
    const target = parseEndpoint(endpoint);
    if (target.kind === 'unix') {
      if (!this.sockets.has(target.socketPath)) throw notAllowed(endpoint, `the socket ${target.socketPath} is not listed`);
      return;
    }
    if (net.isIP(target.host) !== 0) {
      if (!this.inRanges(target.host)) throw notAllowed(endpoint, `${target.host} is in none of the listed ranges`);
      return;
    }
    if (this.byName(target.host)) return;
    let addresses: { address: string }[];
    try {
      addresses = await this.resolve(target.host);
    } catch (e) {
      throw notAllowed(endpoint, `${target.host} is not listed and does not resolve (${(e as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
    const outside = addresses.find((a) => !this.inRanges(a.address));
    if (addresses.length === 0 || outside !== undefined) {
      throw notAllowed(endpoint, `${target.host} is not listed and resolves to ${outside?.address ?? 'nothing'}, in none of the listed ranges`);
    }
  }

  private byName(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    return this.names.has(h) || this.suffixes.some((s) => h.endsWith(s));
  }

  private inRanges(address: string): boolean {
    const a = plainAddress(address);
    return this.ranges.check(a.address, a.type);
  }
}

/** The policy of an allow-list (undefined or empty: every endpoint allowed); CONFIG_INVALID naming bad entries. */
export function endpointAllowList(entries: readonly string[] | undefined, resolve: Resolver = systemResolver): EndpointPolicy {
  if (entries === undefined || entries.length === 0) return ALLOW_ALL_ENDPOINTS;
  return new AllowList(entries, resolve);
}
