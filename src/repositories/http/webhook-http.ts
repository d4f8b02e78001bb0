/**
 * Webhook HTTP, behind a repository, with the SSRF rules for targets:
 *
 * - with no PLIMSOLL_WEBHOOK_ALLOWLIST, a webhook must be `https://` and every address its host resolves to
 *   public: loopback, private (RFC 1918, ULA), link-local (cloud metadata), carrier-grade NAT, multicast and
 *   reserved ranges are refused;
 * - with an allow-list (CIDRs, IP addresses, host names, `*.domain`), a webhook must be on it (by name, or
 *   every address in a listed range), and only then may it use plain `http://`;
 * - the address is checked again when the connection is made (the lookup refuses what the rules refuse), so
 *   a name that resolves elsewhere later (DNS rebinding) is caught; redirects are never followed;
 * - the answer's status is all that is read: the connection is closed at the response head, so a remote body
 *   is never read, stored or echoed.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { AttemptOutcome } from '../../domain/webhook.js';

/** What a DNS lookup answers: every address of a name. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** Address ranges that are not public (IANA special-purpose registries). */
const NON_PUBLIC = new net.BlockList();
for (const [a, p] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  NON_PUBLIC.addSubnet(a, p, 'ipv4');
}
for (const [a, p] of [['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  NON_PUBLIC.addSubnet(a, p, 'ipv6');
}

/** An IPv4-mapped IPv6 address as its IPv4 form, so `::ffff:10.0.0.1` is judged as 10.0.0.1. */
function plainAddress(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: 'ipv4' };
  return { address, type: net.isIPv6(address) ? 'ipv6' : 'ipv4' };
}

/** True for a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const a = plainAddress(address);
  return !NON_PUBLIC.check(a.address, a.type);
}

function notAllowed(url: URL, why: string): PlimsollError {
  return new PlimsollError(ErrorCode.WEBHOOK_NOT_ALLOWED, `webhook target ${url.origin} is not allowed: ${why}`);
}

/** The SSRF rules of webhook targets. */
export class WebhookTargetRules {
  private readonly ranges = new net.BlockList();
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly listed: boolean;

  /** `entries`: PLIMSOLL_WEBHOOK_ALLOWLIST (CONFIG_INVALID naming entries that are none of the accepted forms). */
  constructor(entries: readonly string[] = [], private readonly resolve: Resolver = systemResolver) {
    const bad: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
      const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
      if (cidr && net.isIP(cidr[1]!) !== 0 && Number(cidr[2]) <= (net.isIPv6(cidr[1]!) ? 128 : 32)) this.ranges.addSubnet(cidr[1]!, Number(cidr[2]), net.isIPv6(cidr[1]!) ? 'ipv6' : 'ipv4');
      else if (net.isIP(entry) !== 0) this.ranges.addAddress(entry, net.isIPv6(entry) ? 'ipv6' : 'ipv4');
      else if (/^\*\.[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(entry)) this.suffixes.push(entry.slice(1));
      else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) this.names.add(entry);
      else bad.push(raw);
    }
    if (bad.length > 0) throw new PlimsollError(ErrorCode.CONFIG_INVALID, `PLIMSOLL_WEBHOOK_ALLOWLIST has entries that are neither a CIDR, an IP address, a host name nor *.domain: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
    this.listed = entries.length > 0;
  }

  /** Resolves when `url` may receive webhooks; WEBHOOK_NOT_ALLOWED with the reason otherwise. */
  async check(url: URL): Promise<void> {
    const host = hostOf(url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw notAllowed(url, 'only http(s) URLs receive webhooks');
    if (url.protocol === 'http:' && !this.listed) throw notAllowed(url, 'plain http is allowed only for targets on PLIMSOLL_WEBHOOK_ALLOWLIST; use https');
    if (this.byName(host)) return;
    if (net.isIP(host) !== 0) {
      const why = this.addressProblem(host);
      if (why !== undefined) throw notAllowed(url, why);
      return;
    }
    let addresses: { address: string }[];
    try {
      addresses = await this.resolve(host);
    } catch (e) {
      throw notAllowed(url, `${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
    if (addresses.length === 0) throw notAllowed(url, `${host} resolves to nothing`);
    for (const a of addresses) {
      const why = this.addressProblem(a.address, host);
      if (why !== undefined) throw notAllowed(url, why);
    }
  }

  /** A connection lookup that refuses the addresses `check` refuses (names on the list are trusted as listed). */
  lookupFor(host: string): net.LookupFunction {
    return (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, []);
        const list = addresses as dns.LookupAddress[];
        const refused = this.byName(host) ? undefined : list.find((a) => this.addressProblem(a.address, hostname) !== undefined);
        if (refused !== undefined || list.length === 0) {
          const e: NodeJS.ErrnoException = new Error(`${hostname} resolved to an address the webhook rules refuse`);
          e.code = 'PLIMSOLL_WEBHOOK_NOT_ALLOWED';
          return callback(e, []);
        }
        if ((options as { all?: boolean }).all === true) return callback(null, list);
        return callback(null, list[0]!.address, list[0]!.family);
      });
    };
  }

  private byName(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    return this.names.has(h) || this.suffixes.some((s) => h.endsWith(s));
  }

  private addressProblem(address: string, name?: string): string | undefined {
    const what = name !== undefined && name !== address ? `${name} resolves to ${address}, which` : address;
    const a = plainAddress(address);
    if (this.listed) return this.ranges.check(a.address, a.type) ? undefined : `${what} is on no range of PLIMSOLL_WEBHOOK_ALLOWLIST`;
    return isPublicAddress(address) ? undefined : `${what} is not a public address (loopback, private, link-local or reserved); list it in PLIMSOLL_WEBHOOK_ALLOWLIST to allow it`;
  }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** POSTs webhook deliveries under the SSRF rules. */
export class HttpWebhookTransport {
  constructor(
    private readonly rules: WebhookTargetRules,
    private readonly timeoutMs: number,
  ) {}

  async post(target: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
    const url = new URL(target);
    try {
      await this.rules.check(url);
    } catch (e) {
      return { kind: 'refused', error: e instanceof Error ? e.message : String(e) };
    }
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise<AttemptOutcome>((resolve) => {
      let settled = false;
      const done = (outcome: AttemptOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = mod.request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Plimsoll-Webhook' },
          agent: false,
          lookup: this.rules.lookupFor(hostOf(url)),
          timeout: this.timeoutMs,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          // Only the status is read: the body is never read, kept or echoed.
          res.destroy();
          req.destroy();
          done(status >= 200 && status < 300 ? { kind: 'accepted', status } : { kind: 'rejected', status });
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        done({ kind: 'unreachable', error: `timeout after ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      req.on('timeout', () => {
        req.destroy();
        done({ kind: 'unreachable', error: `timeout after ${this.timeoutMs} ms` });
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'PLIMSOLL_WEBHOOK_NOT_ALLOWED') return done({ kind: 'refused', error: `${url.hostname} resolved to an address the webhook rules refuse` });
        done({ kind: 'unreachable', error: transportErrorText(e) });
      });
      req.end(body);
    });
  }
}

/** A connection failure in words (the code, never a remote text). */
function transportErrorText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case undefined:
      return 'connection failed';
    default:
      return e.code.startsWith('ERR_TLS') || e.code.includes('CERT') || e.code.includes('SSL') ? `TLS failed (${e.code})` : `connection failed (${e.code})`;
  }
}
