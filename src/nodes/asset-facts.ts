/**
 * A node's collected asset facts, derived from one facts snapshot: pure. What each value comes from:
 *
 * - host name: the engine's `GET /info` Name, else the host's `/etc/hostname`; the first label when the name
 *   is fully qualified.
 * - FQDN: a fully qualified `/info` Name, else the first dotted name `/etc/hosts` gives the host name.
 * - IP addresses: the tcp endpoint's host when it is an address, the swarm address (`/info` Swarm.NodeAddr),
 *   and the addresses `/etc/hosts` gives the host's own names (loopback excluded).
 * - MAC addresses: the host's network devices (`/sys/class/net/<name>/address`; bridges and veths excluded).
 * - OS: `/info` OperatingSystem, OSType, KernelVersion, Architecture.
 * - role: `/info` Swarm: swarm manager, swarm worker, or standalone engine.
 *
 * Nothing is guessed: a value no source gives stays absent, for an assessor to set. A host file that could not
 * be read (anything but absent) is listed in `unreadable` with its cause, as is an asset step that failed, so
 * an absent value says whether the host has none or nobody could tell.
 */
import net from 'node:net';
import type { AssetFacts, AssetSource, AssetValue } from '../domain/asset.js';
import type { ApiObject, NodeFacts } from '../domain/facts.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** `/etc/hosts` lines: address and names, comments dropped. */
export function parseHosts(text: string | null): { address: string; names: string[] }[] {
  const out: { address: string; names: string[] }[] = [];
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [address, ...names] = line.split(/\s+/);
    if (address !== undefined && net.isIP(address) !== 0 && names.length > 0) out.push({ address, names });
  }
  return out;
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

/** The host part of a tcp:// endpoint when it is an IP address. */
function endpointAddress(endpoint: string): string | undefined {
  if (!endpoint.startsWith('tcp://')) return undefined;
  try {
    const host = new URL(endpoint.replace(/^tcp:/, 'http:')).hostname.replace(/^\[|\]$/g, '');
    return net.isIP(host) !== 0 ? host : undefined;
  } catch {
    return undefined;
  }
}

/** Adds a value to a list fact, tracking where each came from. */
class ListBuilder {
  private readonly values: string[] = [];
  private readonly details: string[] = [];
  private firstSource: AssetSource | undefined;

  add(value: string, source: AssetSource, detail: string): void {
    if (this.values.includes(value)) return;
    this.values.push(value);
    this.details.push(`${value} from ${detail}`);
    this.firstSource ??= source;
  }

  build(at: string): AssetValue<string[]> | undefined {
    return this.firstSource === undefined ? undefined : { value: this.values, source: this.firstSource, detail: this.details.join('; '), recordedAt: at };
  }
}

function roleOf(info: ApiObject): string {
  const swarm = info.Swarm as ApiObject | undefined;
  if (swarm?.LocalNodeState === 'active') return swarm.ControlAvailable === true ? 'swarm manager' : 'swarm worker';
  return 'standalone engine';
}

/** The asset facts one snapshot shows, stamped with its collection time. */
export function collectedAsset(facts: NodeFacts, endpoint: string): AssetFacts {
  const at = facts.collectedAt;
  const host = facts.asset?.status === 'collected' ? facts.asset.data : undefined;
  const hostFrom = host !== undefined ? ` (${host.via === 'host-root' ? 'host root' : 'helper container'} ${host.source})` : '';
  const value = <T>(v: T, source: AssetSource, detail: string): AssetValue<T> => ({ value: v, source, detail, recordedAt: at });
  const out: AssetFacts = {};

  const infoName = str(facts.info.Name);
  const rawName = infoName ?? str(host?.hostname);
  if (rawName !== undefined) {
    const source = infoName !== undefined ? value(rawName.split('.')[0]!, 'engine', 'GET /info Name') : value(rawName.split('.')[0]!, 'host', `/etc/hostname${hostFrom}`);
    out.hostName = source;
  }
  const hosts = parseHosts(host?.hosts ?? null);
  const shortName = out.hostName?.value;
  if (rawName?.includes('.') === true) {
    out.fqdn = value(rawName, infoName !== undefined ? 'engine' : 'host', infoName !== undefined ? 'GET /info Name' : `/etc/hostname${hostFrom}`);
  } else if (shortName !== undefined) {
    const fqdn = hosts.flatMap((h) => h.names).find((n) => n.startsWith(`${shortName}.`));
    if (fqdn !== undefined) out.fqdn = value(fqdn, 'host', `/etc/hosts${hostFrom}`);
  }

  const ips = new ListBuilder();
  const fromEndpoint = endpointAddress(endpoint);
  if (fromEndpoint !== undefined) ips.add(fromEndpoint, 'endpoint', `the node's endpoint ${endpoint}`);
  const swarmAddr = str((facts.info.Swarm as ApiObject | undefined)?.NodeAddr);
  if (swarmAddr !== undefined && net.isIP(swarmAddr) !== 0) ips.add(swarmAddr, 'engine', 'GET /info Swarm.NodeAddr');
  const ownNames = new Set([shortName, out.fqdn?.value].filter((n): n is string => n !== undefined));
  for (const h of hosts) if (!isLoopback(h.address) && h.names.some((n) => ownNames.has(n))) ips.add(h.address, 'host', `/etc/hosts${hostFrom}`);
  const ipFact = ips.build(at);
  if (ipFact !== undefined) out.ipAddresses = ipFact;

  const macs = new ListBuilder();
  for (const i of host?.interfaces ?? []) if (i.physical && i.mac !== null && i.mac !== '00:00:00:00:00:00') macs.add(i.mac, 'host', `/sys/class/net/${i.name}/address${hostFrom}`);
  const macFact = macs.build(at);
  if (macFact !== undefined) out.macAddresses = macFact;

  const os = str(facts.info.OperatingSystem);
  if (os !== undefined) {
    const extra = [str(facts.info.OSType), str(facts.info.KernelVersion) !== undefined ? `kernel ${str(facts.info.KernelVersion)}` : undefined, str(facts.info.Architecture)].filter((x) => x !== undefined);
    out.os = value(extra.length > 0 ? `${os} (${extra.join(', ')})` : os, 'engine', 'GET /info OperatingSystem, OSType, KernelVersion, Architecture');
  }
  if (Object.keys(facts.info).length > 0) out.role = value(roleOf(facts.info), 'engine', 'GET /info Swarm.LocalNodeState, Swarm.ControlAvailable');

  const unreadable = host !== undefined ? host.errors.map((e) => ({ path: `${e.path}${hostFrom}`, error: e.error })) : [];
  if (facts.asset?.status === 'failed') unreadable.push({ path: '/etc/hostname, /etc/hosts, /sys/class/net', error: facts.asset.error });
  if (unreadable.length > 0) out.unreadable = unreadable;
  return out;
}
